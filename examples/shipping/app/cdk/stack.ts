/**
 * The stack of Shipping Service. evtgen's `ShippingService` construct (generated/cdk/) builds what the specs
 * describe: the HTTP API, one function per operation and per consumer, the event bus, rules, queues,
 * dead-letter queues, Schema Registry, idempotency table and alarms.
 *
 * This file is yours: evtgen created it once and never changes it. Add what the specs do not
 * describe here (tables, buckets, topics) and grant the functions access: `this.service.fn(name)` is
 * the function of an operationId or consumer name.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ShippingService } from '../../generated/cdk/index.js';

export class ServiceStack extends Stack {
  readonly service: ShippingService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.service = new ShippingService(this, 'Service', {
      handlersDir: 'app/handlers',
      // 'nested' puts each function with its resources in a nested stack: choose it before the first
      // deploy when the service will have more than ~35 functions (CloudFormation takes 500
      // resources per stack, ~12 per function). Switching later replaces the moved resources.
      layout: 'single',
    });
    // The dispatch consumer publishes ShipmentDispatched to the shipping bus.
    const dispatch = this.service.fn('dispatch');
    dispatch.addEnvironment('EVENT_BUS_NAME', this.service.events.bus.eventBusName);
    this.service.events.bus.grantPutEventsTo(dispatch);

    new CfnOutput(this, 'ApiUrl', { value: this.service.api.api.apiEndpoint });
    new CfnOutput(this, 'EventBusName', { value: this.service.events.bus.eventBusName });
  }
}
