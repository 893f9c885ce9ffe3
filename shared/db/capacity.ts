import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';

/**
 * Adds up the capacity units and round trips of one operation, from ReturnConsumedCapacity, so a
 * log line (and the benchmarks that read it) can say what an operation cost.
 */
export class CapacityMeter {
  readonly units = { read: 0, write: 0 };
  roundTrips = 0;

  add(kind: 'read' | 'write', consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): void {
    this.roundTrips++;
    for (const entry of [consumed ?? []].flat()) this.units[kind] += entry.CapacityUnits ?? 0;
  }
}
