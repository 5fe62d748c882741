// Adapter for aws: arrives with its own issue. The subpath export exists now so that
// `read-write-split/aws` is a stable import path.
export {};
