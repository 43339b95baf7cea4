/** The manifest a publishing pipeline reads: subject → version → file, per language folder. */
export const bindingsManifest = 'bindings.json';
