import type * as Yaml from 'yaml';
import { z } from 'zod';
import { AppError } from '../../src/shared/errors';
import type { TemplateRules } from './contract';
import { keySchema, rulesSchema, stepSchema, versionFields } from './fields';

/**
 * The template file format (JSON or YAML, same fields). Documented in modules/templates/README.md.
 * Steps name departments by CODE, never by database id, so a file moves between installations.
 */
export const FORMAT_MARKER = 'aviation-workflow/template';
export const FORMAT_VERSION = 1;

export interface StoredStep {
  department: string;
  minSignoffs: number;
  targetHours?: number;
}

/** A template version's content: what a file carries and what a version row stores. */
export interface TemplateDefinition {
  key: string;
  name: string;
  description: string;
  steps: StoredStep[];
  rules: TemplateRules;
}

export interface FileIssue {
  path: (string | number)[];
  message: string;
  line?: number;
  column?: number;
}

/** A step may be written as just its department code: "ENG" is { department: ENG }. */
const fileStep = z.preprocess((v) => (typeof v === 'string' ? { department: v } : v === null ? undefined : v), stepSchema.extend({
  targetHours: stepSchema.shape.targetHours.nullable().transform((v) => v ?? undefined),
}));

const fileSchema = z.strictObject({
  format: z.literal(FORMAT_MARKER),
  formatVersion: z.literal(FORMAT_VERSION),
  key: keySchema.optional(),
  name: versionFields.name,
  description: z.string('The description is text').trim().max(500, 'A description is at most 500 characters').nullable().default('').transform((v) => v ?? ''),
  rules: rulesSchema.nullable().default(null).transform((v) => v ?? rulesSchema.parse({})),
  steps: z.array(fileStep, 'The steps are a list').min(1, 'A template needs at least one step.').max(30, 'A template can have at most 30 steps.'),
  /** Written on export, for people reading the file; ignored on import. */
  exported: z
    .strictObject({
      templateVersion: z.number().int().positive().optional(),
      at: z.string().optional(),
    })
    .optional(),
});

export type ParsedFile = Omit<TemplateDefinition, 'key'> & { key?: string };

/** The one way a definition is normalised, so "did anything change?" is a plain comparison. */
export function normalise(def: Omit<TemplateDefinition, 'key'>): Omit<TemplateDefinition, 'key'> {
  return {
    name: def.name.trim(),
    description: def.description.trim(),
    steps: def.steps.map((s) => ({
      department: s.department.trim(),
      minSignoffs: s.minSignoffs,
      ...(s.targetHours === undefined ? {} : { targetHours: s.targetHours }),
    })),
    rules: {
      commentOnReject: def.rules.commentOnReject,
      commentOnEveryAction: def.rules.commentOnEveryAction,
      noSelfApproval: def.rules.noSelfApproval,
      eSignature: def.rules.eSignature,
    },
  };
}

export const sameDefinition = (a: Omit<TemplateDefinition, 'key'>, b: Omit<TemplateDefinition, 'key'>) =>
  JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));

// ---------------------------------------------------------------------------------------------
// Export

function fileObject(def: TemplateDefinition, version: number, exportedAt: string) {
  return {
    format: FORMAT_MARKER,
    formatVersion: FORMAT_VERSION,
    key: def.key,
    name: def.name,
    description: def.description,
    rules: { ...normalise(def).rules },
    steps: normalise(def).steps,
    exported: { templateVersion: version, at: exportedAt },
  };
}

type YamlLibrary = typeof Yaml;
let yamlLibrary: Promise<YamlLibrary> | undefined;
/** The YAML library, loaded the first time a template is imported or exported rather than at every start. */
const loadYaml = (): Promise<YamlLibrary> => (yamlLibrary ??= import('yaml'));

export async function serialise(def: TemplateDefinition, version: number, format: 'json' | 'yaml', exportedAt: string): Promise<string> {
  const data = fileObject(def, version, exportedAt);
  if (format === 'json') return `${JSON.stringify(data, null, 2)}\n`;
  const { Document } = await loadYaml();
  const doc = new Document(data);
  doc.commentBefore =
    ` Aviation Workflow template file (format ${FORMAT_VERSION}).\n` +
    ' Steps are department codes in order; minSignoffs 1-5; targetHours optional.\n' +
    ' Importing a file whose key exists adds a new version of that template.';
  return doc.toString({ lineWidth: 0 });
}

export const exportFileName = (key: string, version: number, format: 'json' | 'yaml') =>
  `${key}-v${version}.template.${format === 'json' ? 'json' : 'yaml'}`;

// ---------------------------------------------------------------------------------------------
// Import

const invalid = (issues: FileIssue[], lead = 'The file is not a valid template') => {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return new AppError('VALIDATION', `${lead}: ${describeIssue(first)}${more}`, { issues });
};

export function describeIssue(issue: FileIssue): string {
  const at = issue.line ? `line ${issue.line}${issue.column ? `, column ${issue.column}` : ''}` : '';
  const field = describePath(issue.path);
  const where = [at, field].filter(Boolean).join(', ');
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** ["steps", 1, "minSignoffs"] → step 2, "minSignoffs" */
export function describePath(path: (string | number)[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    if (part === 'steps' && typeof path[i + 1] === 'number') {
      parts.push(`step ${(path[i + 1] as number) + 1}`);
      i++;
    } else {
      parts.push(`"${String(part)}"`);
    }
  }
  return parts.join(', ');
}

export const guessFormat = (content: string): 'json' | 'yaml' => (/^\s*[[{]/.test(content) ? 'json' : 'yaml');

function parseJson(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const issue: FileIssue = { path: [], message: message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '') };
    if (position) {
      const before = content.slice(0, Number(position[1]));
      issue.line = before.split('\n').length;
      issue.column = before.length - before.lastIndexOf('\n');
    } else if (/end of (JSON )?input/i.test(message)) {
      issue.line = content.split('\n').length;
    }
    throw invalid([issue], 'The file is not valid JSON');
  }
}

function parseYaml({ LineCounter, parseDocument }: YamlLibrary, content: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const issues = doc.errors.map((e): FileIssue => ({
      path: [],
      message: e.message.replace(/ at line \d+, column \d+.*$/s, ''),
      ...(e.linePos?.[0] ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}),
    }));
    throw invalid(issues, 'The file is not valid YAML');
  }
  try {
    return doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    throw invalid([{ path: [], message: (error as Error).message }], 'The file is not valid YAML');
  }
}

/** Finds the line of the value at `path` (or the nearest parent that exists). JSON parses as YAML too. */
function locator({ LineCounter, parseDocument }: YamlLibrary, content: string): (path: (string | number)[]) => { line?: number; column?: number } {
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(content, { lineCounter, prettyErrors: false });
    if (doc.errors.length) return () => ({});
    return (path) => {
      // The value itself, or for a missing field the object it belongs in (not the whole file).
      for (let n = path.length; n >= 1; n--) {
        const node = doc.getIn(path.slice(0, n), true);
        const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
        if (range) {
          const pos = lineCounter.linePos(range[0]);
          return { line: pos.line, column: pos.col };
        }
      }
      return {};
    };
  } catch {
    return () => ({});
  }
}

/** Turns zod's issues into what a person editing the file needs: the field, the line, what is wrong. */
function fileError(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys?: string[] }).keys ?? [];
    return `Unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`;
  }
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'This field is missing';
    return `Expected ${(issue as { expected?: string }).expected ?? 'another type'} here`;
  }
  return undefined;
}

/**
 * Reads a template file. Throws AppError VALIDATION with issues that name the line and field
 * where possible. Department codes are checked later, against this installation.
 */
export async function parseTemplateFile(
  content: string,
  format: 'json' | 'yaml' | undefined,
): Promise<{ definition: ParsedFile; locate: (path: (string | number)[]) => { line?: number; column?: number } }> {
  if (!content.trim()) throw invalid([{ path: [], message: 'The file is empty.' }], 'This is not a template file');
  const used = format ?? guessFormat(content);
  // Lines are found with the YAML parser for JSON files too (JSON parses as YAML).
  const yaml = await loadYaml();
  const data = used === 'json' ? parseJson(content) : parseYaml(yaml, content);
  const locate = locator(yaml, content);

  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalid(
      [{ path: [], message: `Expected a template (fields such as "format", "name" and "steps"), found ${Array.isArray(data) ? 'a list' : typeof data === 'string' ? 'plain text' : String(data)}.`, ...locate([]) }],
      'This is not a template file',
    );
  }
  const record = data as Record<string, unknown>;
  if (record['format'] !== FORMAT_MARKER) {
    throw invalid(
      [{ path: ['format'], message: `An Aviation Workflow template file starts with "format": "${FORMAT_MARKER}".`, ...locate(['format']) }],
      'This is not an Aviation Workflow template file',
    );
  }
  if (record['formatVersion'] !== FORMAT_VERSION) {
    const found = record['formatVersion'];
    throw invalid(
      [
        {
          path: ['formatVersion'],
          message:
            typeof found === 'number' && found > FORMAT_VERSION
              ? `The file is format version ${found}, written by a newer version of the app; this app reads format version ${FORMAT_VERSION}.`
              : `"formatVersion" must be ${FORMAT_VERSION}.`,
          ...locate(['formatVersion']),
        },
      ],
      'This template file cannot be read',
    );
  }

  const parsed = fileSchema.safeParse(data, { error: fileError });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i): FileIssue => {
      const path = i.path.map((p) => (typeof p === 'number' ? p : String(p)));
      return { path, message: i.message, ...locate(path) };
    });
    // In the order a person reads the file.
    issues.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
    throw invalid(issues);
  }
  const { key, name, description, rules, steps } = parsed.data;
  return { definition: { ...(key ? { key } : {}), name, description, rules, steps }, locate };
}
