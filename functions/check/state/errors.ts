/**
 * The error a state store raises. A message names the store (the DynamoDB table or the JSON
 * file), the operation, the portal when there is one, and the AWS or Node error code; it never
 * holds a record's values.
 */
import { errorName } from '../error-name.ts';

/** What a state store was doing when it failed. */
export const StateOperation = {
  LOAD: 'load',
  CLAIM: 'claim',
  RELEASE: 'release',
} as const;
export type StateOperation = (typeof StateOperation)[keyof typeof StateOperation];

/** Where and how a state store failed: what {@link StateStoreError} carries for callers to branch on. */
export interface StateStoreErrorDetails {
  /** What the store was doing. */
  readonly operation: StateOperation;
  /** The DynamoDB table name or the JSON file path. */
  readonly store: string;
  /** The AWS error code (`ResourceNotFoundException`…) or Node's (`EACCES`…), when one caused it. */
  readonly code?: string;
}

/**
 * The monitor's memory could not be read or written: the table or file is missing, unreachable,
 * not allowed, or holds something that is not a valid record. A duplicate run is not an error:
 * `claim` returns `false` for it.
 *
 * @example
 * throw new StateStoreError('could not load state from DynamoDB table monitor-state: ResourceNotFoundException',
 *   { operation: 'load', store: 'monitor-state', code: 'ResourceNotFoundException' }, { cause: error });
 */
export class StateStoreError extends Error {
  public readonly operation: StateOperation;
  public readonly store: string;
  public readonly code: string | undefined;

  public constructor(message: string, details: StateStoreErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StateStoreError';
    this.operation = details.operation;
    this.store = details.store;
    this.code = details.code;
  }
}

const FAILED_TO: Record<StateOperation, string> = { load: 'read', claim: 'saved', release: 'released' };

/**
 * What a state store threw, as a {@link StateStoreError}: the store's own error as it is,
 * anything else (a store that is not one of ours, a bug) named by its kind only.
 *
 * @param portal - the portal the operation was about, if one
 */
export function asStateStoreError(error: unknown, operation: StateOperation, portal?: string): StateStoreError {
  if (error instanceof StateStoreError) return error;
  const subject = portal === undefined ? 'state' : `state of ${portal}`;
  return new StateStoreError(`${subject} could not be ${FAILED_TO[operation]}: ${errorName(error)}`, { operation, store: 'state store' });
}
