// The cloud-neutral core: one split description in, Spicepods, retention and sizing out.
export * from './core';
