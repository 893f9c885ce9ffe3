import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { localClient } from '../../lib/local/dynamodb-local';
import { tableDefinition } from '../../shared/db/table-definition';

describe('the table built from the shared definition', () => {
  it('has the keys, indexes and stream the definition names', async () => {
    const client = localClient(inject('dynamoDbEndpoint'));
    const { Table } = await client.send(new DescribeTableCommand({ TableName: inject('tableName') }));
    client.destroy();

    expect(Table?.KeySchema).toEqual([
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ]);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(
      tableDefinition.globalSecondaryIndexes.map((index) => index.indexName),
    );
  });
});
