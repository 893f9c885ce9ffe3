import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../../', import.meta.url).pathname });

/** The messages the project's lint config gives `code` as if it were the file at `filePath`. */
async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = x;\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('dependency boundaries (the lint rule)', () => {
  it('refuse the HTTP layer in data, domain and support modules', async () => {
    for (const file of ['shared/db/fixture.ts', 'shared/orders/fixture.ts', 'shared/realtime/fixture.ts', 'shared/config/fixture.ts']) {
      expect(await importErrors(file, "import { restRoutes as x } from '../http/routes';"), file).toEqual([expect.stringContaining('HTTP layer')]);
    }
  });

  it('refuse functions/, lib/ and tests/ anywhere in shared/, the HTTP layer included', async () => {
    for (const [file, from] of [
      ['shared/http/fixture.ts', '../../lib/stage-config'],
      ['shared/db/fixture.ts', '../../functions/streams/fanout'],
      ['shared/kitchen/fixture.ts', '../../tests/support/restaurant'],
    ] as const) {
      expect(await importErrors(file, `import { y as x } from '${from}';`), `${file} → ${from}`).toEqual([expect.stringContaining('never imports them')]);
    }
  });

  it('keep the core vocabulary free of any import of ours', async () => {
    expect(await importErrors('shared/core.ts', "import { keys as x } from './db/keys';")).toEqual([expect.stringContaining('imports nothing')]);
    expect(await importErrors('shared/errors.ts', "import { ROLES as x } from './core';")).toEqual([expect.stringContaining('imports nothing')]);
  });

  it('keep the contract on the core vocabulary alone', async () => {
    for (const from of ['../db/keys', '../http/routes', '../menu/menu', '../../lib/stage-config']) {
      expect(await importErrors('shared/contract/fixture.ts', `import { y as x } from '${from}';`), from).toEqual([expect.stringContaining('builds only on the core')]);
    }
    expect(await importErrors('shared/contract/fixture.ts', "import { Id as x } from '../core';")).toEqual([]);
    expect(await importErrors('shared/contract/fixture.ts', "import { Station as x } from './fields';")).toEqual([]);
  });

  it('keep tests/ out of the command-line tools, the infrastructure and the functions', async () => {
    for (const file of ['bin/fixture.ts', 'lib/local/fixture.ts', 'functions/http/fixture.ts']) {
      expect(await importErrors(file, "import { y as x } from '../../tests/support/restaurant';"), file).toEqual([expect.stringContaining('Only tests import tests/')]);
    }
  });

  it('allow what points the right way', async () => {
    expect(await importErrors('shared/http/fixture.ts', "import { placeOrder as x } from '../orders/place-order';")).toEqual([]);
    expect(await importErrors('shared/db/fixture.ts', "import { ROLES as x } from '../core';")).toEqual([]);
    expect(await importErrors('functions/http/fixture.ts', "import { restRoutes as x } from '../../shared/http/routes';")).toEqual([]);
  });
});
