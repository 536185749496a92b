/**
 * `switchyard keys|teams|credentials|budgets|usage …`: the admin operations
 * from the command line, on the gateway's storage. Returns the exit code
 * (0 done, 1 failed, 2 usage error).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GatewayError } from '../../api/errors.js';
import { budgetScopeSchema, type BudgetCreate, type KeyCreate, type KeyUpdate } from '../records.js';
import type { GovernanceService } from '../governance-service.js';
import { openCliStorage } from './cli-storage.js';
import { parseBudgetSpec, parseExpiry, parseList, parseMetadata, parsePositiveInteger, parseThresholds, UsageError } from './cli-values.js';

export interface CommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export interface KeysCommandDefaults {
  /** The SQLite file when neither --database, DATABASE_URL nor SWITCHYARD_DB is given. */
  readonly sqlitePath?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeZone?: string;
  readonly redisPrefix?: string;
  readonly clock?: () => number;
}

export const keysUsage = `usage:
  switchyard keys create [--name NAME] [--team TEAM] [--owner WHO] [--budget-usd 50/month]... [--alert 0.8]
                         [--rpm N] [--tpm N] [--max-concurrent N] [--models a,b] [--routes r] [--default-route R]
                         [--expires 30d|2026-01-31] [--metadata k=v]... [--credential NAME]...
  switchyard keys list [--team TEAM] [--all]          switchyard keys show ID
  switchyard keys update ID [--rpm N] [--tpm N] [--max-concurrent N] [--models ...] [--routes ...] [--expires ...] [--enable|--disable]
  switchyard keys revoke ID
  switchyard teams create NAME [--rpm N] [--tpm N] [--max-concurrent N] [--budget-usd 500/month]...
  switchyard teams list | show TEAM | delete TEAM
  switchyard credentials add NAME --provider openai (--api-key-env VAR | --api-key-stdin | --api-key KEY)
  switchyard credentials list | delete NAME
  switchyard budgets create --scope key|team|user --subject ID --budget-usd 50/month [--alert 0.8,0.95]
  switchyard budgets list [--scope S] [--subject ID] | status ID [--user U] | update ID [--budget-usd ...] [--enable|--disable] | delete ID
  switchyard usage [--group-by key|team|user|model|day] [--from DATE] [--to DATE] [--key ID] [--team T] [--user U]
common: --database postgres://...|FILE (else DATABASE_URL, SWITCHYARD_DB, ./switchyard.db), --json
`;

const options = {
  database: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  name: { type: 'string' },
  team: { type: 'string' },
  owner: { type: 'string' },
  'budget-usd': { type: 'string', multiple: true },
  alert: { type: 'string', multiple: true },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  'max-concurrent': { type: 'string' },
  models: { type: 'string', multiple: true },
  routes: { type: 'string', multiple: true },
  'default-route': { type: 'string' },
  'default-config': { type: 'string' },
  expires: { type: 'string' },
  metadata: { type: 'string', multiple: true },
  credential: { type: 'string', multiple: true },
  all: { type: 'boolean' },
  enable: { type: 'boolean' },
  disable: { type: 'boolean' },
  provider: { type: 'string' },
  'api-key': { type: 'string' },
  'api-key-env': { type: 'string' },
  'api-key-stdin': { type: 'boolean' },
  scope: { type: 'string' },
  subject: { type: 'string' },
  user: { type: 'string' },
  'group-by': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  key: { type: 'string' },
  'time-zone': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: true }>>['values'];

interface Context {
  readonly service: GovernanceService;
  readonly values: Values;
  readonly positionals: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly now: number;
  print(value: unknown, text: () => string): void;
}

function limitsOf(values: Values) {
  const limits = { rpm: parsePositiveInteger(values.rpm, 'rpm'), tpm: parsePositiveInteger(values.tpm, 'tpm'), max_concurrent: parsePositiveInteger(values['max-concurrent'], 'max-concurrent') };
  return Object.values(limits).some((value) => value !== undefined) ? Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined)) : undefined;
}

function budgetsOf(values: Values) {
  const thresholds = parseThresholds(values.alert) ?? [];
  return (values['budget-usd'] ?? []).map((spec) => ({ ...parseBudgetSpec(spec), alert_thresholds: thresholds, enabled: true }));
}

function enabledOf(values: Values): boolean | undefined {
  if (values.enable && values.disable) throw new UsageError('--enable and --disable together');
  return values.enable ? true : values.disable ? false : undefined;
}

function positional(context: Context, index: number, what: string): string {
  const value = context.positionals[index];
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

function describeLimits(limits: Record<string, number | undefined>): string {
  return Object.entries(limits).filter(([, value]) => value !== undefined).map(([name, value]) => `${name}=${value}`).join(' ') || '-';
}

async function keys(context: Context, action: string): Promise<void> {
  const { service, values } = context;
  switch (action) {
    case 'create': {
      const input: KeyCreate = {
        name: values.name ?? context.positionals[2] ?? (values.team ? `${values.team}-key` : 'key'),
        team: values.team,
        owner: values.owner,
        metadata: parseMetadata(values.metadata),
        expires_at: values.expires ? parseExpiry(values.expires, context.now) : undefined,
        models: parseList(values.models),
        routes: parseList(values.routes),
        default_route: values['default-route'],
        default_config: values['default-config'],
        limits: limitsOf(values),
        credentials: parseList(values.credential),
        budgets: budgetsOf(values),
      };
      const created = await service.createKey(input);
      context.print(created, () => `created key ${created.key.id} (${created.key.name})${created.key.team ? ` in team ${created.key.team}` : ''}\nlimits: ${describeLimits(created.key.limits)}; budgets: ${created.key.budgets.map((budget) => `${budget.amount_usd} USD ${budget.period}`).join(', ') || '-'}\n\nsecret (shown only now; store it safely):\n  ${created.secret}\n`);
      return;
    }
    case 'list': {
      const list = await service.listKeys({ team: values.team, includeRevoked: values.all });
      context.print(list, () => list.map((key) => `${key.id}  ${key.name}  team=${key.team ?? '-'}  ${key.status}  ${key.key_prefix}  ${describeLimits(key.limits)}  budgets=${key.budgets.map((budget) => `${budget.amount_usd}/${budget.period}`).join(',') || '-'}`).join('\n') + (list.length ? '\n' : 'no keys\n'));
      return;
    }
    case 'show': {
      const key = await service.getKey(positional(context, 2, 'key id'));
      context.print(key, () => `${JSON.stringify(key, null, 2)}\n`);
      return;
    }
    case 'update': {
      const patch: KeyUpdate = {
        name: values.name,
        team: values.team,
        owner: values.owner,
        metadata: parseMetadata(values.metadata),
        expires_at: values.expires ? parseExpiry(values.expires, context.now) : undefined,
        enabled: enabledOf(values),
        models: parseList(values.models),
        routes: parseList(values.routes),
        default_route: values['default-route'],
        default_config: values['default-config'],
        limits: limitsOf(values),
        credentials: parseList(values.credential),
      };
      const key = await service.updateKey(positional(context, 2, 'key id'), patch);
      context.print(key, () => `updated key ${key.id} (${key.status})\n`);
      return;
    }
    case 'revoke': {
      const key = await service.revokeKey(positional(context, 2, 'key id'));
      context.print(key, () => `revoked key ${key.id} (${key.name})\n`);
      return;
    }
    default:
      throw new UsageError(`unknown command: keys ${action}`);
  }
}

async function teams(context: Context, action: string): Promise<void> {
  const { service, values } = context;
  switch (action) {
    case 'create': {
      const team = await service.createTeam({ name: values.name ?? positional(context, 2, 'team name'), metadata: parseMetadata(values.metadata), limits: limitsOf(values), budgets: budgetsOf(values) });
      context.print(team, () => `created team ${team.id} (${team.name})\n`);
      return;
    }
    case 'list': {
      const list = await service.listTeams();
      context.print(list, () => list.map((team) => `${team.id}  ${team.name}  ${describeLimits(team.limits)}  budgets=${team.budgets.map((budget) => `${budget.amount_usd}/${budget.period}`).join(',') || '-'}`).join('\n') + (list.length ? '\n' : 'no teams\n'));
      return;
    }
    case 'show': {
      const team = await service.getTeam(positional(context, 2, 'team'));
      context.print(team, () => `${JSON.stringify(team, null, 2)}\n`);
      return;
    }
    case 'delete': {
      const result = await service.deleteTeam(positional(context, 2, 'team'));
      context.print(result, () => `deleted team ${result.id}\n`);
      return;
    }
    default:
      throw new UsageError(`unknown command: teams ${action}`);
  }
}

function apiKeyOf(context: Context): string {
  const { values } = context;
  if (values['api-key-env']) {
    const value = context.env[values['api-key-env']];
    if (!value) throw new UsageError(`${values['api-key-env']} is not set`);
    return value;
  }
  if (values['api-key-stdin']) return readFileSync(0, 'utf8').trim();
  if (values['api-key']) return values['api-key'];
  throw new UsageError('give the provider key with --api-key-env VAR, --api-key-stdin or --api-key');
}

async function credentials(context: Context, action: string): Promise<void> {
  const { service, values } = context;
  switch (action) {
    case 'add':
    case 'set': {
      if (!values.provider) throw new UsageError('--provider is required');
      const credential = await service.putCredential({ name: positional(context, 2, 'credential name'), provider: values.provider, api_key: apiKeyOf(context), metadata: parseMetadata(values.metadata) });
      context.print(credential, () => `stored credential ${credential.name} for ${credential.provider} (encrypted)\n`);
      return;
    }
    case 'list': {
      const list = await service.listCredentials();
      context.print(list, () => list.map((credential) => `${credential.name}  ${credential.provider}  updated ${credential.updated_at}`).join('\n') + (list.length ? '\n' : 'no credentials\n'));
      return;
    }
    case 'delete': {
      const result = await service.deleteCredential(positional(context, 2, 'credential name'));
      context.print(result, () => `deleted credential ${result.name}\n`);
      return;
    }
    default:
      throw new UsageError(`unknown command: credentials ${action}`);
  }
}

async function budgets(context: Context, action: string): Promise<void> {
  const { service, values } = context;
  switch (action) {
    case 'create': {
      const spec = values['budget-usd']?.[0];
      if (!spec || !values.scope || !values.subject) throw new UsageError('budgets create needs --scope, --subject and --budget-usd');
      const input: BudgetCreate = { scope: budgetScopeSchema.parse(values.scope), subject: values.subject, ...parseBudgetSpec(spec), alert_thresholds: parseThresholds(values.alert) ?? [], enabled: enabledOf(values) ?? true };
      const budget = await service.createBudget(input);
      context.print(budget, () => `created budget ${budget.id}: ${budget.amount_usd} USD ${budget.period} for ${budget.scope} ${budget.subject}\n`);
      return;
    }
    case 'list': {
      const list = await service.listBudgets({ scope: values.scope ? budgetScopeSchema.parse(values.scope) : undefined, subject: values.subject });
      context.print(list, () => list.map((budget) => `${budget.id}  ${budget.scope}:${budget.subject}  ${budget.amount_usd} USD ${budget.period}  alerts=${budget.alert_thresholds.join(',') || '-'}${budget.enabled ? '' : '  disabled'}`).join('\n') + (list.length ? '\n' : 'no budgets\n'));
      return;
    }
    case 'status': {
      const status = await service.budgetStatus(positional(context, 2, 'budget id'), values.user);
      context.print(status, () => `${status.budget.id}: spent ${status.spent_usd} of ${status.budget.amount_usd} USD (${status.budget.period}, since ${status.period_start}); ${status.remaining_usd} USD left\n`);
      return;
    }
    case 'update': {
      const spec = values['budget-usd']?.[0] ? parseBudgetSpec(values['budget-usd'][0]) : undefined;
      const budget = await service.updateBudget(positional(context, 2, 'budget id'), { amount_usd: spec?.amount_usd, period: spec?.period, alert_thresholds: parseThresholds(values.alert), enabled: enabledOf(values) });
      context.print(budget, () => `updated budget ${budget.id}: ${budget.amount_usd} USD ${budget.period}${budget.enabled ? '' : ' (disabled)'}\n`);
      return;
    }
    case 'delete': {
      const result = await service.deleteBudget(positional(context, 2, 'budget id'));
      context.print(result, () => `deleted budget ${result.id}\n`);
      return;
    }
    default:
      throw new UsageError(`unknown command: budgets ${action}`);
  }
}

async function usage(context: Context): Promise<void> {
  const { values } = context;
  const groupBy = (values['group-by'] ?? 'key') as 'key' | 'team' | 'user' | 'model' | 'day';
  if (!['key', 'team', 'user', 'model', 'day'].includes(groupBy)) throw new UsageError('--group-by is key, team, user, model or day');
  const report = await context.service.usage({ group_by: groupBy, from: values.from, to: values.to, key: values.key, team: values.team, user: values.user });
  context.print(report, () => `${report.from} .. ${report.to}, by ${groupBy}\n` + report.rows.map((row) => `${row.group ?? '-'}  ${row.requests} requests  ${row.costUsd.toFixed(6)} USD${row.unpricedRequests ? `  ${row.unpricedRequests} unpriced` : ''}${row.cacheHits ? `  ${row.cacheHits} cache hits (saved ${row.savedUsd.toFixed(6)} USD)` : ''}`).join('\n') + '\n');
}

const groups: Record<string, (context: Context, action: string) => Promise<void>> = { keys, teams, credentials, budgets, usage: (context) => usage(context) };

export async function runKeysCommand(argv: string[], io: CommandIo, defaults: KeysCommandDefaults = {}): Promise<number> {
  const env = defaults.env ?? process.env;
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${keysUsage}`);
    return 2;
  }
  const [group, action = ''] = parsed.positionals;
  const run = group ? groups[group] : undefined;
  if (parsed.values.help || !run) {
    (run || parsed.values.help ? io.stdout : io.stderr).write(keysUsage);
    return parsed.values.help ? 0 : 2;
  }
  let storage: Awaited<ReturnType<typeof openCliStorage>> | undefined;
  try {
    storage = await openCliStorage({
      database: parsed.values.database,
      env,
      defaultSqlitePath: defaults.sqlitePath ?? 'switchyard.db',
      timeZone: parsed.values['time-zone'] ?? defaults.timeZone ?? 'UTC',
      redisPrefix: defaults.redisPrefix ?? env.SWITCHYARD_REDIS_PREFIX ?? 'sy:gov',
      clock: defaults.clock,
    });
    const json = parsed.values.json === true;
    await run(
      {
        service: storage.service,
        values: parsed.values,
        positionals: parsed.positionals,
        env,
        now: (defaults.clock ?? Date.now)(),
        print: (value, text) => io.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text()),
      },
      action,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n${keysUsage}`);
      return 2;
    }
    io.stderr.write(`error: ${error instanceof GatewayError || error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await storage?.close();
  }
}
