/**
 * The CDK app of Orders Service: `npx cdk synth` / `npx cdk deploy` run this file (see cdk.json).
 *
 * This file is yours: evtgen created it once and never changes it. cdk-nag's AwsSolutions pack
 * checks everything the app synthesizes; an unacknowledged error fails the synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ServiceStack } from './stack.js';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new ServiceStack(app, 'OrdersService', {
  description: 'Orders Service (evtgen)',
});
