/**
 * The layering ARCHITECTURE.md describes, checked on every `npm run check` (`npm run check:layers`).
 * A rule here is a promise of the architecture: loosen one only together with that document.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: the layers only work downwards.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kysely-only-in-repositories',
      severity: 'error',
      comment:
        'All SQL lives in src/repositories (and the connection, migrations and bulk session in src/db): ' +
        'services, routes, dialects, the engine and the CLI never build a query.',
      from: { path: '^src/', pathNot: '^src/(repositories|db)/' },
      to: { path: '^node_modules/kysely(-pglite-dialect)?/' },
    },
    {
      name: 'pg-only-in-db',
      severity: 'error',
      comment: 'The database drivers are opened in src/db only.',
      from: { path: '^src/', pathNot: '^src/db/' },
      to: {
        path: '^node_modules/(pg|pg-copy-streams|@electric-sql/pglite)/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'repositories-built-in-the-registry',
      severity: 'error',
      comment:
        'Repositories are built by src/repositories/index.ts (tenantRepositories for tenant tables, ' +
        'sharedRepositories for the rest), so every tenant table is reached through TenantScope. ' +
        'Other code may name their types, not import their code. contact-stage.ts is no repository: ' +
        'the staging COPY format, encoded where rows are checked (import threads too).',
      from: { path: '^src/', pathNot: '^src/repositories/' },
      to: {
        path: '^src/repositories/',
        pathNot: ['^src/repositories/index\\.ts$', '^src/repositories/contact-stage\\.ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'routes-through-services',
      severity: 'error',
      comment:
        'HTTP routes and the CLI call services (use cases), never repositories: they may name their types.',
      from: { path: '^src/(http|cli)/' },
      to: { path: '^src/repositories/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'services-not-over-http',
      severity: 'error',
      comment: 'Services are used by HTTP, the CLI and the engine host; they know nothing of any of them.',
      from: { path: '^src/services/' },
      to: { path: '^src/(http|cli)/|^src/cli\\.ts$|^src/server\\.ts$|^node_modules/(fastify|@fastify)/' },
    },
    {
      name: 'repositories-below-services',
      severity: 'error',
      comment: 'Repositories hold SQL, not use cases: they never call services, HTTP or the engine.',
      from: { path: '^src/repositories/' },
      to: { path: '^src/(services|http|cli|engine|imports)/' },
    },
    {
      name: 'db-at-the-bottom',
      severity: 'error',
      comment: 'src/db (connection, schema, migrations, tenant scope) depends on no layer above it.',
      from: { path: '^src/db/', pathNot: '^src/db/migrations/' },
      to: { path: '^src/(repositories|services|http|cli|engine|imports|domain)/' },
    },
    {
      name: 'migrations-at-the-bottom',
      severity: 'error',
      comment:
        'A data migration may apply a pure rule of src/domain (e.g. re-deriving time zones), nothing above it.',
      from: { path: '^src/db/migrations/' },
      to: { path: '^src/(repositories|services|http|cli|engine|imports)/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'src/domain holds rules without I/O: nothing from http, services, repositories, engine or ' +
        'the database layer; it may name the row types of src/db/schema.ts (type-only, erased).',
      from: { path: '^src/domain/' },
      to: {
        path: '^src/(http|services|repositories|engine|imports|cli)/|^src/db/|^node_modules/(kysely|pg|fastify|@fastify)',
        pathNot: '^src/db/schema\\.ts$',
      },
    },
    {
      name: 'domain-names-schema-types-only',
      severity: 'error',
      comment: 'Only type-only imports of src/db/schema.ts from src/domain and src/engine.',
      from: { path: '^src/(domain|engine)/' },
      to: { path: '^src/db/schema\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'engine-is-a-library',
      severity: 'error',
      comment:
        'src/engine is driven through its Carrier, ContactSource and CallJournal seams: it never ' +
        'imports services, HTTP, repositories or the database (src/services/engine adapts it).',
      from: { path: '^src/engine/' },
      to: {
        path: '^src/(http|services|repositories|imports|cli)/|^src/db/|^node_modules/(kysely|pg|fastify|@fastify)',
        pathNot: '^src/db/schema\\.ts$',
      },
    },
    {
      name: 'row-work-is-pure',
      severity: 'error',
      comment:
        'src/imports is the pure row work of imports and the bulk contact API (read files, map ' +
        'columns, check and encode rows, batch them, on threads): no database, services or HTTP. ' +
        'It encodes rows in the staging format of src/repositories/contact-stage.ts.',
      from: { path: '^src/imports/' },
      to: {
        path: '^src/(http|services|repositories|cli|engine)/|^src/db/|^node_modules/(kysely|pg|fastify|@fastify)',
        pathNot: ['^src/repositories/contact-stage\\.ts$', '^src/db/schema\\.ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'routes-not-across-apis',
      severity: 'error',
      comment:
        'The native API and each dialect are thin translators onto services: none imports another ' +
        "one's route files (shared helpers live in src/http, outside the route folders).",
      from: { path: '^src/http/(native|dialects/[^/]+)/' },
      to: {
        path: '^src/http/(native|dialects/[^/]+)/',
        pathNot: ['^src/http/$1/', '^src/http/native/common\\.ts$'],
      },
    },
    {
      name: 'dialects-are-translators',
      severity: 'error',
      comment: 'A dialect translates onto services: it never reaches repositories or the database.',
      from: { path: '^src/http/' },
      to: { path: '^src/db/(?!schema\\.ts$)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'console-apart-from-server',
      severity: 'error',
      comment:
        'The web console talks to the server over the native API only; it may import pure rules ' +
        'from src/domain (the permission matrix, so it hides what the API refuses; outcome words) ' +
        "and the API document's generated types (src/client), never server code.",
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '^src/(domain|client)/' },
    },
    {
      name: 'server-not-on-console-packages',
      severity: 'error',
      comment: 'react, react-dom and chart.js are built into dist/web by Vite; the server never loads them.',
      from: { path: '^src/' },
      to: { path: '^node_modules/(react|react-dom|chart\\.js)/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nobody imports is dead (knip reports it as well, with its exports).',
      from: {
        orphan: true,
        pathNot: [
          '(^|/)\\.[^/]+\\.(c|m)?js$',
          '\\.d\\.ts$',
          '(^|/)tsconfig\\.json$',
          '^src/cli\\.ts$',
          '\\.worker\\.ts$',
          '^web/src/main\\.tsx$',
        ],
      },
      to: {},
    },
    {
      name: 'not-to-dev-dependency',
      severity: 'error',
      comment: 'The server at run time needs only its runtime dependencies (npm ci --omit=dev).',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
