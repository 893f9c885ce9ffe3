import { readFile } from 'node:fs/promises';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_FILE, clientTypes } from '../../lib/openapi-client';

const root = new URL('../../', import.meta.url).pathname;
const FLOW = 'tests/client/guest-and-kitchen.ts';

describe('the typed client generated from the OpenAPI document', () => {
  it('is current: the checked-in types are what openapi-typescript makes of the document now', async () => {
    const checkedIn = await readFile(`${root}${CLIENT_TYPES_FILE}`, 'utf8');
    expect(checkedIn === (await clientTypes()), `${CLIENT_TYPES_FILE} is stale: run npm run openapi`).toBe(true);
  });

  it('type-checks a full guest-and-kitchen flow, without a single cast', async () => {
    const config = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.json`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (!config) throw new Error('tsconfig.json did not parse');
    const program = ts.createProgram([`${root}${FLOW}`], config.options);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);

    const source = program.getSourceFile(`${root}${FLOW}`);
    if (!source) throw new Error(`${FLOW} is not in the program`);
    const casts: string[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node)) {
        casts.push(node.getText(source));
      }
      if (node.kind === ts.SyntaxKind.AnyKeyword) casts.push(node.getText(source));
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(casts).toEqual([]);
  });
});
