// Module resolve hook: TypeDoc imports the `typescript` JS API, which TypeScript 7 (the repository's
// compiler, native) does not ship. `@typescript/typescript6` is the same API as a package of its own:
// inside the docs process, every import of `typescript` gets it instead.
export async function resolve(specifier, context, next) {
  if (specifier === 'typescript' || specifier.startsWith('typescript/')) {
    return next(`@typescript/typescript6${specifier.slice('typescript'.length)}`, context);
  }
  return next(specifier, context);
}
