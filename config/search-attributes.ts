import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';

/** `temporal server start-dev` flags that register Roster's search attributes at boot. */
export const devServerSearchAttributeArgs = (): string[] =>
  SEARCH_ATTRIBUTE_KEYS.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]);

/**
 * Makes sure the namespace has Roster's search attributes before a worker runs: a workflow that sets
 * an unknown one fails its task. Adds the missing ones where the server lets us (self-hosted, dev
 * server); on Temporal Cloud they are created with tcld or the UI, and this says which are missing.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const missingNow = async () => {
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set(Object.keys({ ...listed.customAttributes, ...listed.systemAttributes }));
    return SEARCH_ATTRIBUTE_KEYS.filter((key) => !known.has(key.name));
  };
  const missing = await missingNow();
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((key) => [
          key.name,
          proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        ]),
      ),
    });
  } catch (error) {
    // Another worker starting at the same time may have added them first.
    if ((await missingNow()).length === 0) return;
    const names = missing.map((key) => `${key.name} (Keyword)`).join(', ');
    throw new Error(
      `the Temporal namespace "${namespace}" lacks Roster's search attributes ${names}, and they could not be ` +
        `added (${(error as Error).message}). Create them (temporal operator search-attribute create, or on ` +
        'Temporal Cloud: tcld namespace search-attributes add) and start again.',
    );
  }
}
