import { registerExportContributor, type ContributorRegistration } from '../export/contributors.js';
import { monitoringFiles } from './monitoring.js';

/** Monitoring configs go into the full export and into the serverless-engine targets' folders. */
export const MONITORING_CONTRIBUTOR: ContributorRegistration = {
  id: 'monitoring',
  contribute: monitoringFiles,
  targets: ['all', 'spark', 'beam'],
};

/** Adds `monitoring/` to export folders; idempotent (the registry is keyed by id). */
export function registerMonitoringExports(): void {
  registerExportContributor(MONITORING_CONTRIBUTOR);
}
