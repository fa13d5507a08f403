// The scenario loader's old entry point, kept for http/admin.ts's lazy import until it imports
// ./load/index.js itself (then this file goes).

export * from './load/index.js'
