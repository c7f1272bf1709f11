/**
 * Settings form <-> config.toml. The form's values are turned into the exact config.toml text
 * that would be written, and that text goes through `validateConfigText` — the same validator
 * that loads the file — so the form can never accept what loading would reject. Secrets go to
 * the encrypted SecretStore and reach the validator (and later the engine) as env values.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify } from 'smol-toml';
import { validateConfigText } from '../../core/config/index.js';
import { ConfigError } from '../../core/errors.js';
import type {
  SecretField,
  SecretState,
  SettingsCheck,
  SettingsForm,
  SettingsLoad,
} from '../../shared/ipc.js';
import { emptyForm, FIELD_SPECS, fieldOfMessage, secretEnvName, type FieldSpec } from './fields.js';
import type { SecretStore } from './secrets.js';
import { patchToml, removeSection, type TomlEdit, type TomlScalar } from './toml-patch.js';

type Env = Readonly<Record<string, string | undefined>>;
type Table = Record<string, unknown>;

const NEW_FILE_HEADER = [
  '# cloud-sync configuration (written by the app’s Settings; comments you add are kept).',
  '# Secrets are not stored here: the app keeps them encrypted in secrets.json.',
  '',
].join('\n');

export const REWRITE_WARNING =
  'config.toml was rewritten from scratch because a value was written in a form the app cannot patch in place; its comments were not kept.';

interface Plan {
  text: string;
  env: Env;
  /** The complete set of secrets to store, by env name. */
  secrets: Record<string, string>;
  rewritten: boolean;
  problem?: { message: string; field?: SecretField };
}

const isTable = (v: unknown): v is Table =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function rawValue(raw: Table, spec: FieldSpec): unknown {
  const section = raw[spec.section];
  return isTable(section) ? section[spec.key] : undefined;
}

function asText(value: unknown, spec: FieldSpec): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint')
    return spec.key === 'interval' ? `${value}s` : String(value);
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'boolean') return String(value);
  return '';
}

function toToml(text: string, spec: FieldSpec): TomlScalar | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (spec.kind === 'int' && /^-?\d+$/.test(t)) return Number(t);
  if (spec.kind === 'strings')
    return t
      .split(/[,;\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
  return t;
}

export class SettingsService {
  constructor(
    readonly configFile: string,
    private readonly store: SecretStore,
    private readonly env: Env,
  ) {}

  /** What the engine loads with: the process environment plus the decrypted secrets. */
  engineEnv(): Env {
    return { ...this.env, ...this.store.read() };
  }

  load(): SettingsLoad {
    const firstRun = !existsSync(this.configFile);
    const raw = this.parseCurrent(firstRun ? '' : readFileSync(this.configFile, 'utf8'));
    const stored = this.safeStored();
    const form = emptyForm();
    const secrets = {} as Record<SecretField, SecretState>;
    for (const spec of FIELD_SPECS) {
      const env = secretEnvName(spec);
      const value = rawValue(raw, spec);
      if (env) {
        secrets[spec.field as SecretField] =
          stored[env] !== undefined
            ? 'encrypted'
            : typeof value === 'string'
              ? 'config-file'
              : 'none';
      } else form[spec.field] = asText(value, spec);
    }
    const web =
      secrets.clientSecret !== 'none' || form.redirectUri.trim().toLowerCase().startsWith('https:');
    form.flow = web ? 'web' : 'desktop';
    form.mailEnabled = isTable(raw.mail);
    return {
      form,
      secrets,
      file: this.configFile,
      firstRun,
      encryptionAvailable: this.store.available,
    };
  }

  check(form: SettingsForm): SettingsCheck {
    return this.validate(this.plan(form));
  }

  save(form: SettingsForm): SettingsCheck {
    const plan = this.plan(form);
    const result = this.validate(plan);
    if (!result.ok) return result;
    try {
      this.store.write(plan.secrets);
    } catch (error) {
      if (error instanceof ConfigError) return { ok: false, message: messageOf(error) };
      throw error;
    }
    mkdirSync(dirname(this.configFile), { recursive: true });
    const tmp = `${this.configFile}.${process.pid}.tmp`;
    writeFileSync(tmp, plan.text, { mode: 0o600 });
    renameSync(tmp, this.configFile);
    return result;
  }

  private validate(plan: Plan): SettingsCheck {
    if (plan.problem) return { ok: false, ...plan.problem };
    try {
      const { warnings } = validateConfigText(plan.text, this.configFile, { env: plan.env });
      const notes = warnings.map((w) => w.message);
      return { ok: true, warnings: plan.rewritten ? [REWRITE_WARNING, ...notes] : notes };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const field = fieldOfMessage(error.message);
      return { ok: false, message: error.message, ...(field ? { field } : {}) };
    }
  }

  private parseCurrent(text: string): Table {
    try {
      return parse(text) as Table;
    } catch {
      return {};
    }
  }

  private safeStored(): Record<string, string> {
    try {
      return this.store.read();
    } catch {
      return {};
    }
  }

  private plan(form: SettingsForm): Plan {
    const exists = existsSync(this.configFile);
    const original = exists ? readFileSync(this.configFile, 'utf8') : '';
    const raw = this.parseCurrent(original);
    const stored = this.safeStored();
    const secrets: Record<string, string> = {};
    const edits: TomlEdit[] = [];
    let problem: Plan['problem'];
    for (const spec of FIELD_SPECS) {
      const dropped = (spec.mail && !form.mailEnabled) || (spec.webOnly && form.flow === 'desktop');
      const env = secretEnvName(spec);
      if (env) {
        const typed = form[spec.field].trim();
        const inFile = rawValue(raw, spec);
        const value = dropped
          ? ''
          : typed || stored[env] || (typeof inFile === 'string' ? inFile : '');
        if (value && !this.store.available && (typed || inFile === undefined)) {
          problem ??= {
            message: `No system keyring is available, so the app cannot store secrets. Set ${env} in the environment instead.`,
            field: spec.field as SecretField,
          };
        }
        if (value && !this.store.available) continue; // leave a plain secret where the user put it
        if (value) secrets[env] = value;
        edits.push({ section: spec.section, key: spec.key, value: undefined });
        continue;
      }
      if (spec.mail && !form.mailEnabled) continue;
      edits.push({
        section: spec.section,
        key: spec.key,
        value: dropped ? undefined : toToml(form[spec.field], spec),
      });
    }
    let text = patchToml(exists ? original : NEW_FILE_HEADER, edits);
    if (!form.mailEnabled) text = removeSection(text, 'mail');
    let rewritten = false;
    if (exists && !this.patchHeld(text, edits)) {
      text = this.rewrite(raw, edits, form.mailEnabled);
      rewritten = true;
    }
    const env: Record<string, string | undefined> = { ...this.env };
    for (const spec of FIELD_SPECS) {
      const name = secretEnvName(spec);
      if (name) env[name] = secrets[name] ?? this.env[name];
    }
    return { text, env, secrets, rewritten, ...(problem ? { problem } : {}) };
  }

  /** Did line patching produce exactly the values asked for? */
  private patchHeld(text: string, edits: readonly TomlEdit[]): boolean {
    let parsed: Table;
    try {
      parsed = parse(text) as Table;
    } catch {
      return false;
    }
    return edits.every((e) => {
      const section = parsed[e.section];
      const actual = isTable(section) ? section[e.key] : undefined;
      return JSON.stringify(actual) === JSON.stringify(e.value);
    });
  }

  private rewrite(raw: Table, edits: readonly TomlEdit[], mail: boolean): string {
    const copy = structuredClone(raw);
    if (!mail) delete copy.mail;
    for (const e of edits) {
      const section = (copy[e.section] = isTable(copy[e.section]) ? copy[e.section] : {}) as Table;
      if (e.value === undefined) delete section[e.key];
      else section[e.key] = e.value;
    }
    return stringify(copy) + '\n';
  }
}

function messageOf(error: ConfigError): string {
  return error.hint ? `${error.message} ${error.hint}` : error.message;
}
