/**
 * The DynamoDB state table's layout, shared by the store (functions/) and the construct (lib/)
 * so both use the same names. One item per portal, and one for the run-time silences: no sort
 * key, no TTL.
 */

/** The table's partition key: the portal's name, a string (`AttributeType.STRING`). */
export const STATE_TABLE_PARTITION_KEY = 'portal';

/**
 * The partition key of the one item holding the run-time silences (`silence add`). Portal names
 * are lowercase letters, digits and "-", so no portal's item can have it.
 */
export const SILENCES_ITEM_KEY = '#silences';

/** The attribute holding the run that wrote the record; every conditional write tests it. */
export const STATE_TABLE_RUN_KEY_ATTRIBUTE = 'lastRunKey';

/** The only DynamoDB actions the store calls, for a least-privilege grant on the table. */
export const STATE_TABLE_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'] as const;
