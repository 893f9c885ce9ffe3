#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isDynamoDbUp, ensureTable, startDynamoDbLocal } from '../lib/local/dynamodb-local';
import type { DynamoDbLocal } from '../lib/local/dynamodb-local';
import { LOCAL_DATA_DIR, LOCAL_TABLE_NAME, useLocalEnvironment } from '../lib/local/runtime';
import { functionEnvironment, siteUrls, stageConfig } from '../lib/stage-config';
import { stageOutputs } from '../lib/stage-outputs';
import { MenuFile } from '../shared/contract/requests';
import { importMenu } from '../shared/menu/menu';
import { CreateRestaurantInput, createRestaurant } from '../shared/restaurants/restaurants';
import { ValidationError } from '../shared/errors';
import type { ValidationIssue } from '../shared/errors';

const usage = `npm run admin -- <command> [options]

Commands:
  create-restaurant --name <name> --currency <ISO 4217> --owner <username> [--password-stdin]
      Creates a restaurant and its first OWNER; prints {"restaurantId", "owner": {"staffId", "username"}}.
      The owner's password comes from a prompt (no echo), the first line of stdin with --password-stdin,
      or OWNER_PASSWORD; --password <password> works too, but leaves it in shell history and ps.
  import-menu --restaurant <restaurantId> --file <menu.json>
      Validates the whole file first (nothing is written if any entry is wrong), then writes it in
      batches; prints {"restaurantId", "imported"}. Format: lib/local/demo-menu.json.

Target (default: the local stack; DynamoDB Local on --dynamodb-port, started for the command if it is not running):
  --stage <name>           a deployed stage: the table is read from its data stack's outputs with your AWS credentials
  --dynamodb-port <n>      local DynamoDB port (default 8000); DYNAMODB_ENDPOINT overrides it
`;

const fail = (message: string): never => {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    currency: { type: 'string' },
    owner: { type: 'string' },
    password: { type: 'string' },
    'password-stdin': { type: 'boolean', default: false },
    restaurant: { type: 'string' },
    file: { type: 'string' },
    stage: { type: 'string' },
    'dynamodb-port': { type: 'string', default: '8000' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const command = positionals[0];
if (command !== 'create-restaurant' && command !== 'import-menu') fail(`Unknown command "${command ?? ''}".`);

/** Points this process at a deployed stage's table, with the environment its functions have. */
async function useDeployedStage(stage: string): Promise<void> {
  const config = stageConfig(stage);
  const { tableName, webUrl } = await stageOutputs(config.stage);
  Object.assign(process.env, functionEnvironment(config, tableName, siteUrls(config, webUrl)), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
}

let started: DynamoDbLocal | undefined;
try {
  if (values.stage) {
    await useDeployedStage(values.stage);
  } else {
    const endpoint = process.env.DYNAMODB_ENDPOINT ?? `http://127.0.0.1:${values['dynamodb-port']}`;
    const tableName = process.env.TABLE_NAME ?? LOCAL_TABLE_NAME;
    let target = endpoint;
    if (!(await isDynamoDbUp(endpoint))) {
      // Nothing is running: open the same data folder npm start uses, just for this command.
      started = await startDynamoDbLocal({ port: Number(values['dynamodb-port']), dbPath: LOCAL_DATA_DIR });
      target = started.endpoint;
    }
    await ensureTable(target, tableName);
    useLocalEnvironment(target, tableName, { POWERTOOLS_LOG_LEVEL: 'SILENT' });
  }

  process.exitCode = command === 'create-restaurant' ? await createRestaurantCommand() : await importMenuCommand();
} catch (error) {
  console.error(`admin: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await started?.stop();
}

/** Prints each problem as `--option: message` (or `entry N (name) field: message`) and returns exit code 2. */
function invalid(lines: string[]): number {
  console.error(`${lines.join('\n')}\n\n${usage}`);
  return 2;
}

/** The first line of stdin. */
async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** Asks on the terminal without echoing what is typed. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    process.stderr.write(question);
    process.stdin.setRawMode(true);
    process.stdin.resume();
    let typed = '';
    const done = (result: () => void) => {
      process.stdin.setRawMode(false);
      process.stdin.pause();
      process.stdin.off('data', onData);
      process.stderr.write('\n');
      result();
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return done(() => resolve(typed));
        if (char === '\u0003') return done(() => reject(new Error('cancelled')));
        typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char;
      }
    };
    process.stdin.on('data', onData);
  });
}

/** The owner's password: from --password, OWNER_PASSWORD, stdin with --password-stdin, or a prompt on a terminal. */
async function ownerPassword(): Promise<string | undefined> {
  if (values.password !== undefined) return values.password;
  if (process.env.OWNER_PASSWORD) return process.env.OWNER_PASSWORD;
  if (values['password-stdin']) return firstLineOfStdin();
  if (process.stdin.isTTY) return promptHidden(`Password for ${values.owner ?? 'the owner'}: `);
  return undefined;
}

async function createRestaurantCommand(): Promise<number> {
  const input = CreateRestaurantInput.safeParse({
    name: values.name,
    currency: values.currency,
    owner: values.owner,
    password: await ownerPassword(),
  });
  if (!input.success) return invalid(input.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`));
  console.log(JSON.stringify(await createRestaurant(input.data, new Date())));
  return 0;
}

async function importMenuCommand(): Promise<number> {
  if (!values.restaurant || !values.file) return invalid(['--restaurant and --file are required.']);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(values.file, 'utf8'));
  } catch (error) {
    return invalid([`--file: cannot read ${values.file} as JSON: ${(error as Error).message}`]);
  }
  const file = MenuFile.safeParse(json);
  if (!file.success) return invalid(describeMenuIssues(file.error.issues, json));
  // Progress on stderr for large files; stdout stays the one JSON result.
  let imported: number;
  try {
    imported = await importMenu(values.restaurant, file.data, new Date(), (written, total) => {
      if (total > 100) console.error(`imported ${written} of ${total}`);
    });
  } catch (error) {
    // What only the restaurant can tell (its languages) is checked before anything is written too.
    if (!(error instanceof ValidationError)) throw error;
    const issues = (error.details.issues as ValidationIssue[]).map(({ path, message }) => ({ path: path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)), message }));
    return invalid(describeMenuIssues(issues, json));
  }
  console.log(JSON.stringify({ restaurantId: values.restaurant, imported }));
  return 0;
}

/** `items.3.priceCents` → `entry 4 ("Burger") priceCents: …`, so the wrong entry is easy to find. */
function describeMenuIssues(issues: { path: PropertyKey[]; message: string }[], json: unknown): string[] {
  return issues.map(({ path, message }) => {
    const [, index, ...field] = path;
    if (path[0] !== 'items' || typeof index !== 'number') return `${path.join('.') || 'file'}: ${message}`;
    const entry = (json as { items: { name?: unknown }[] }).items[index];
    const name = typeof entry?.name === 'string' ? ` ("${entry.name}")` : '';
    return `entry ${index + 1}${name} ${field.join('.') || ''}: ${message}`.replace(' :', ':');
  });
}
