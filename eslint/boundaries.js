// Module boundaries, enforced by lint (docs/ARCHITECTURE.md, "Module boundaries"):
// - handy/module-surface: code outside src/modules/<m>/ imports only <m>/index.ts (the module's
//   public surface) or <m>/schema.ts (its tables, to read); its route files only from src/http
//   or another route file; a schema file imports only schema files; src/shared imports no module;
//   a module's files (other than its route files) never import a flow;
// - handy/no-foreign-writes: code inside src/modules/<m>/ never inserts into, updates or deletes
//   from another module's table (drizzle or raw SQL); only the owning module and src/flows/ do.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const MODULES = path.join(ROOT, 'src', 'modules');
const FLOWS = path.join(ROOT, 'src', 'flows');
// index.ts is the surface; schema files (schema.ts, code-schema.ts) hold tables, readable by all.
const isPublicFile = (rest) => /^index\.(js|ts)$/.test(rest) || /^([\w-]+-)?schema\.(js|ts)$/.test(rest);
// Route files are the HTTP surface: src/http/app.ts registers them, and a route file may mount
// another module's routes under its own prefix. Nothing else imports them.
const isRouteFile = (file) => /(^|-)routes?\.(js|ts)$/.test(path.basename(file));
const HTTP = path.join(ROOT, 'src', 'http') + path.sep;
const mayImportRoutes = (file) => file.startsWith(HTTP) || isRouteFile(file);
const SHARED = path.join(ROOT, 'src', 'shared') + path.sep;
const isSchemaFile = (file) => /^([\w-]+-)?schema\.(js|ts)$/.test(path.basename(file));

const moduleOf = (file) => {
  const rel = path.relative(MODULES, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? null : rel.split(path.sep)[0];
};
const isTest = (file) => /\.test\.ts$/.test(file);

let tableOwners = null;
/** SQL table name and drizzle export name -> owning module, read from every module's schema.ts. */
function owners() {
  if (tableOwners) return tableOwners;
  tableOwners = { bySql: new Map(), byExport: new Map() };
  for (const mod of readdirSync(MODULES)) {
    const file = path.join(MODULES, mod, 'schema.ts');
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/export const (\w+)\s*=\s*pgTable\(\s*'(\w+)'/g)) {
      tableOwners.byExport.set(m[1], mod);
      tableOwners.bySql.set(m[2], mod);
    }
  }
  return tableOwners;
}

const resolveSpec = (filename, spec) => (spec.startsWith('.') ? path.resolve(path.dirname(filename), spec) : null);

const moduleSurface = {
  meta: {
    type: 'problem',
    docs: { description: 'Import another module only through its index.ts (or read its schema.ts)' },
    messages: {
      deep: "'{{spec}}' reaches into the {{mod}} module; import from its index.ts (add the name there if it is meant to be public).",
      flowFromModule: 'A module does not call a flow (flows call modules); only its route files may.',
      sharedImportsModule: 'src/shared depends on no module; move what it needs into src/shared.',
      schemaImport:
        "A schema file imports only other modules' schema files (or src/shared): anything else makes an import cycle at start-up.",
    },
    schema: [],
  },
  create(context) {
    const filename = context.filename;
    if (isTest(filename)) return {};
    const own = moduleOf(filename);
    const check = (node) => {
      const src = node.source;
      if (!src || typeof src.value !== 'string') return;
      const target = resolveSpec(filename, src.value);
      if (!target) return;
      if (own && !isRouteFile(filename) && target.startsWith(FLOWS + path.sep)) {
        return context.report({ node: src, messageId: 'flowFromModule' });
      }
      const mod = moduleOf(target);
      if (mod && filename.startsWith(SHARED)) return context.report({ node: src, messageId: 'sharedImportsModule' });
      if (!mod || mod === own) return;
      const rest = path.relative(path.join(MODULES, mod), target);
      if (isSchemaFile(filename) && !isSchemaFile(rest)) return context.report({ node: src, messageId: 'schemaImport' });
      if (isPublicFile(rest)) return;
      if (isRouteFile(rest) && mayImportRoutes(filename)) return;
      context.report({ node: src, messageId: 'deep', data: { spec: src.value, mod } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

const WRITE_METHODS = new Set(['insert', 'update', 'delete']);
const SQL_WRITE = /\b(?:insert\s+into|update|delete\s+from)\s+"?(\w+)"?/gi;
const SQL_WRITE_BEFORE_TABLE = /\b(?:insert\s+into|update|delete\s+from)\s*$/i;

const noForeignWrites = {
  meta: {
    type: 'problem',
    docs: { description: "Write only your own module's tables; cross-module writes belong in src/flows" },
    messages: {
      foreign:
        "'{{table}}' belongs to the {{mod}} module: call its use case (from its index.ts), or move this step into a flow in src/flows/.",
    },
    schema: [],
  },
  create(context) {
    const filename = context.filename;
    const own = moduleOf(filename);
    if (!own || isTest(filename) || filename.startsWith(FLOWS + path.sep)) return {};
    const { bySql, byExport } = owners();
    /** local identifier -> owning module, for tables imported from elsewhere */
    const foreign = new Map();
    const foreignOwner = (name) => foreign.get(name);
    return {
      ImportDeclaration(node) {
        const target = resolveSpec(filename, node.source.value);
        if (!target || !/schema\.(js|ts)$/.test(target)) return;
        for (const spec of node.specifiers) {
          if (spec.type !== 'ImportSpecifier') continue;
          const exported = spec.imported.name ?? spec.imported.value;
          const mod = byExport.get(exported);
          if (mod && mod !== own) foreign.set(spec.local.name, mod);
        }
      },
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier' || !WRITE_METHODS.has(callee.property.name)) return;
        const arg = node.arguments[0];
        if (arg?.type !== 'Identifier') return;
        const mod = foreignOwner(arg.name);
        if (mod) context.report({ node: arg, messageId: 'foreign', data: { table: arg.name, mod } });
      },
      TaggedTemplateExpression(node) {
        const tag = node.tag;
        const tagName =
          tag.type === 'Identifier'
            ? tag.name
            : tag.type === 'MemberExpression' && tag.object.type === 'Identifier'
              ? tag.object.name
              : null;
        if (tagName !== 'sql') return;
        const { quasis, expressions } = node.quasi;
        quasis.forEach((q, i) => {
          for (const m of q.value.cooked.matchAll(SQL_WRITE)) {
            const mod = bySql.get(m[1]);
            if (mod && mod !== own) context.report({ node: q, messageId: 'foreign', data: { table: m[1], mod } });
          }
          const expr = expressions[i];
          if (expr?.type === 'Identifier' && SQL_WRITE_BEFORE_TABLE.test(q.value.cooked)) {
            const mod = foreignOwner(expr.name);
            if (mod) context.report({ node: expr, messageId: 'foreign', data: { table: expr.name, mod } });
          }
        });
      },
    };
  },
};

export default { rules: { 'module-surface': moduleSurface, 'no-foreign-writes': noForeignWrites } };
