// A Turbopack loader for the shop's TypeScript sources (examples/shop/src): they import each other as
// `./payments.js` (TypeScript's ESM style, which Node and esbuild read), and Turbopack does not map such
// a specifier to the .ts file yet (vercel/next.js#82945). This rewrites relative `.js` specifiers to `.ts`.
module.exports = function shopImports(source) {
  return source.replace(/(\bfrom\s*['"]|\bimport\s*\(\s*['"])(\.{1,2}\/[^'"]+)\.js(['"])/g, '$1$2.ts$3');
};
