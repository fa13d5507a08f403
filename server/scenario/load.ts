// The loader's former path, kept only for http/admin.ts's lazy import: when that imports
// ./load/index.js, this file goes.

export { parseScenario, scenarioFromObject } from './load/index.js'
