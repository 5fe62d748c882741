// Adapter for azure: arrives with its own issue. The subpath export exists now so that
// `read-write-split/azure` is a stable import path.
export {};
