// Adapter for k8s: arrives with its own issue. The subpath export exists now so that
// `read-write-split/k8s` is a stable import path.
export {};
