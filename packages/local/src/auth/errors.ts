import { adapterErrors } from '@switchyard/core/adapter';

/** Errors of the local auth adapter, named by operation. */
export const errors = adapterErrors('auth', 'local');
