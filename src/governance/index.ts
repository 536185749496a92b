/**
 * Governance: virtual keys, budgets, rate limits and cost tracking that hold
 * across instances. The gateway wires in the stage, the admin routes and the CLI.
 */
export { governanceConfigSchema, limitsSchema, type GovernanceConfig, type GovernanceConfigInput, type Limits } from './config-schema.js';
export { createGovernance, type CreateGovernanceOptions, type Governance } from './create-governance.js';
export { GovernanceStage } from './governance-stage.js';
export { GovernanceService, type ChangeNotice } from './governance-service.js';
export { runKeysCommand, type CommandIo, type KeysCommandDefaults } from './cli/run-keys-command.js';
export type { GovernanceStats } from './stats.js';
export type { KeyRecord, TeamRecord, BudgetRecord, CredentialRecord, LedgerEntry } from './records.js';
