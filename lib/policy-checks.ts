import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { App, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/** cfn-guard prints every finding on stdout; the default 1 MB buffer overflows on a full stage. */
export const GUARD_MAX_BUFFER = 64 * 1024 * 1024;
const RESOURCE_TYPE = /"(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)"/g;
/** How a rule may touch `Resources`: select by type, look up a referenced key, or test the key itself (or an EKS property of that name). */
const RESOURCES_ACCESS = /\bResources(\.\*\[\s*Type\s*==|\[\s*(Type|keys)\s*==|\s+(exists|is_list|not empty)\b|\[\*\])/g;

interface GuardRule {
  path: string;
  /** Every resource type the rule file names: the only resources its selections can start from. */
  types: Set<string>;
}

type Resources = Record<string, { Type: string }>;

interface Template {
  Resources?: Resources;
}

/**
 * The Control Tower rule files the plugin ships, each with the resource types it names. A rule reaches
 * a resource only by selecting on a type it names (`Resources.*[ Type == … ]`) or by looking up the
 * key a reached resource's `Ref` or `Fn::GetAtt` names (`Resources[ keys == … ]`). A rule file that
 * touches `Resources` any other way would break what StrictCfnGuard relies on, and is refused here.
 * Read once per process (a test synthesizes many apps).
 */
function controlTowerRules(): GuardRule[] {
  rulesRead ??= readControlTowerRules();
  return rulesRead;
}
let rulesRead: GuardRule[] | undefined;

function readControlTowerRules(): GuardRule[] {
  const root = join(dirname(createRequire(import.meta.url).resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules/control-tower/cfn-guard');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.guard'))
    .map((file) => {
      const path = join(root, file);
      const code = readFileSync(path, 'utf8').replace(/<<[\s\S]*?>>/g, '').replace(/#.*$/gm, '');
      if ((code.match(/\bResources\b/g) ?? []).length !== (code.match(RESOURCES_ACCESS) ?? []).length) {
        throw new Error(`${file} reaches resources in a way the Guard check does not know; it cannot narrow its input for it`);
      }
      return { path, types: new Set([...code.matchAll(RESOURCE_TYPE)].map((match) => match[1] as string)) };
    });
}

/** The logical ids a template value names through `Ref`, `Fn::GetAtt` or `Fn::Sub` (parameters and pseudo parameters included; they match no resource). */
function referencedIds(value: unknown, ids = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) referencedIds(item, ids);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') ids.add(inner);
      else if (key === 'Fn::GetAtt') ids.add(String(Array.isArray(inner) ? inner[0] : inner).split('.')[0] as string);
      else if (key === 'Fn::Sub') for (const match of JSON.stringify(inner).matchAll(/\$\{([^!.}]+)/g)) ids.add(match[1] as string);
      referencedIds(inner, ids);
    }
  }
  return ids;
}

/** The template's resources a rule naming one of `types` can reach: those of the types, and whatever they reference, transitively. */
function reachable(template: Template, types: Set<string>): Resources {
  const resources = new Map(Object.entries(template.Resources ?? {}));
  const kept = new Set([...resources].filter(([, resource]) => types.has(resource.Type)).map(([id]) => id));
  for (const id of kept) for (const ref of referencedIds(resources.get(id))) if (resources.has(ref)) kept.add(ref);
  return Object.fromEntries([...resources].filter(([id]) => kept.has(id)));
}

/**
 * AWS Control Tower's proactive controls through cfn-guard, with every finding marked an error.
 *
 * The plugin leaves `severity` unset; the CDK then recomputes a report's success once anything in it
 * is acknowledged, and a finding without a severity no longer fails the synthesis. Marking them keeps
 * a new, unacknowledged finding fatal however many others are acknowledged.
 *
 * cfn-guard's time grows with rules × resources: 25 s for the API stack's 234 resources under all 237
 * rules, most of a stage's synthesis. Each run gets only what can meet: the rules naming a type the
 * templates have, and of each template what those rules can reach (controlTowerRules). The findings
 * are the same, but for the line numbers in their messages; a stage's run takes about 3 s.
 */
export class StrictCfnGuard implements IPolicyValidationPlugin {
  private readonly all = new CfnGuardValidator({ maxBuffer: GUARD_MAX_BUFFER });
  private readonly rules = controlTowerRules();
  readonly name = this.all.name;
  readonly version = this.all.version;
  readonly ruleIds = this.all.ruleIds;

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const templates = context.templatePaths.map((path) => ({ path, template: JSON.parse(readFileSync(path, 'utf8')) as Template }));
    const present = new Set(templates.flatMap(({ template }) => Object.values(template.Resources ?? {}).map((resource) => resource.Type)));
    const rules = this.rules.filter((rule) => [...rule.types].some((type) => present.has(type)));
    const types = new Set(rules.flatMap((rule) => [...rule.types]));
    // A template with nothing the rules can reach would only be skipped by every rule.
    const narrowed = templates
      .map(({ path, template }) => ({ path, template: { ...template, Resources: reachable(template, types) } }))
      .filter(({ template }) => Object.keys(template.Resources).length > 0);
    if (narrowed.length === 0) return { success: true, violations: [] };

    const dir = mkdtempSync(join(tmpdir(), 'guard-'));
    try {
      const original = new Map(narrowed.map(({ path, template }) => {
        const copy = join(dir, basename(path));
        writeFileSync(copy, JSON.stringify(template, undefined, 1));
        return [copy, path];
      }));
      const guard = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: rules.map((rule) => rule.path), maxBuffer: GUARD_MAX_BUFFER });
      const report = guard.validate({ ...context, templatePaths: [...original.keys()] });
      return {
        ...report,
        violations: report.violations.map((violation) => ({
          ...violation,
          severity: violation.severity ?? 'error',
          violatingResources: violation.violatingResources.map((resource) => ({ ...resource, templatePath: original.get(resource.templatePath) ?? resource.templatePath })),
        })),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * The checks every synthesis runs (synth, deploy, tests): cdk-nag's AwsSolutions and Serverless
 * packs and AWS Control Tower's proactive controls (cfn-guard, offline). An unacknowledged finding
 * fails the synthesis; each acknowledgement in the code names its rule and its reason.
 */
export function policyChecks(app: App): IPolicyValidationPlugin[] {
  return [new AwsSolutionsChecks(app), new ServerlessChecks(app), new StrictCfnGuard()];
}
