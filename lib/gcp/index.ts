// Adapter for gcp: arrives with its own issue. The subpath export exists now so that
// `read-write-split/gcp` is a stable import path.
export {};
