/**
 * getHealth: GET /health — Health check
 *
 * This file is yours: evtgen created it once and never changes it. Requests reach this function
 * already validated and typed; return one of the responses the contract declares. When the
 * contract changes, `npx tsc --noEmit` points at whatever here no longer fits.
 */
import { type GetHealthImplementation, getHealthHandler } from '../../../generated/handlers/get-health.js';

export const getHealth: GetHealthImplementation = async (_request, { logger }) => {
  logger.info('getHealth called');
  // e.g. return { status: 200, body: { … } };
  throw new Error('getHealth is not implemented yet');
};

/** The Lambda entry point (API Gateway HTTP API, payload format 2.0). */
export const handler = getHealthHandler(getHealth, { validateResponses: true });
