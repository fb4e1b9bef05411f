/** Import boundaries and cycles, checked in `npm run lint` (and so in `npm test`). */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules form a tree: a cycle means two areas own each other's concerns.",
      from: {},
      to: { circular: true },
    },
    {
      name: "lib-is-below-the-ui",
      severity: "error",
      comment: "lib/ is shared by routes, pages and scripts: it never imports app/ or components/.",
      from: { path: "^lib/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "components-are-below-app",
      severity: "error",
      comment: "components/ are reused by pages: they never import app/ (move shared types to lib/ or components/).",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
    {
      name: "client-code-stays-off-the-database",
      severity: "error",
      comment: "Client components never reach the database client.",
      from: { path: "^components/" },
      to: { path: "^lib/db/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|lib/db/generated|\\.next)" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs"] },
  },
};
