/**
 * The CDK app of Shipping Service: `npx cdk synth` / `npx cdk deploy` run this file (see cdk.json).
 *
 * This file is yours: evtgen created it once and never changes it. cdk-nag's AwsSolutions pack
 * checks everything the app synthesizes; an unacknowledged error fails the synth.
 *
 * CDK's built-in CloudFormation template validation is off unless `CDK_VALIDATION=true`: it only
 * warns, and loading its rules costs 5 to 10 s of every synth on a small machine (evtgen's own
 * templates are checked by cfn-lint in evtgen's CI). The CI workflow runs it on every change.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ServiceStack } from './stack.js';

const app = new App({ builtinCloudFormationValidation: process.env.CDK_VALIDATION === 'true' });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new ServiceStack(app, 'ShippingService', {
  description: 'Shipping Service (evtgen)',
});
