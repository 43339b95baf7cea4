import { isObject, joinPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import type { EventOperation, EventType } from '../model/contract.js';
import type { CompareOptions } from './contract-openapi.js';
import { defaultMode, type Mode, modes, type Place } from './findings.js';
import { type At, at, childAt, type FindingSink, type Snapshot, schemaContext } from './snapshot.js';

/** The message object of an event (its origin in the spec). */
export function messageAt(snap: Snapshot, event: EventType): At | undefined {
  const file = snap.workspace.fileByDisplayPath(event.origin.file);
  return file ? at(file, event.origin.pointer) : undefined;
}

/** Who reads an event in this service: senders' consumers (FWD) and its own consumers (BWD). */
export function placeOf(snap: Snapshot, event: EventType): Place {
  const ops = snap.model.eventOperations.filter((o) => o.events.includes(event.names.payload));
  const sent = ops.some((o) => o.action === 'send');
  const received = ops.some((o) => o.action === 'receive');
  return sent && received ? 'event' : sent ? 'sent-event' : received ? 'received-event' : 'event';
}

/** `x-compatibility.mode` on the message, when valid. */
export function declaredMode(message: At | undefined): Mode | undefined {
  const ext = message && isObject(message.value) ? message.value['x-compatibility'] : undefined;
  const mode = isObject(ext) ? ext.mode : undefined;
  return typeof mode === 'string' && (modes as readonly string[]).includes(mode) ? (mode as Mode) : undefined;
}

function payloadOf(message: At): At | undefined {
  if (!isObject(message.value) || message.value.payload === undefined) return undefined;
  const payload = childAt(message, 'payload');
  if (isObject(payload.value) && typeof payload.value.schemaFormat === 'string' && 'schema' in payload.value)
    return childAt(payload, 'schema');
  return payload;
}

function schemaFormatOf(message: At): string {
  const payload = isObject(message.value) ? message.value.payload : undefined;
  return isObject(payload) && typeof payload.schemaFormat === 'string'
    ? payload.schemaFormat
    : 'application/vnd.aai.asyncapi;version=3.0.0';
}

export function compareAsyncApi(sink: FindingSink, options: CompareOptions): void {
  const oldSnap = sink.oldSnap;
  const newSnap = sink.newSnap;
  const ctx = (snap: Snapshot) => schemaContext(snap.workspace, 'draft-07', false);
  const checker = sink.checker('asyncapi', ctx(oldSnap), ctx(newSnap));
  const newEvents = new Map(newSnap.model.events.map((e) => [e.messageName, e]));
  const oldEvents = new Map(oldSnap.model.events.map((e) => [e.messageName, e]));
  const anyNewFile = newSnap.model.documents.find((d) => d.kind === 'asyncapi');

  for (const [name, oldEvent] of oldEvents) {
    const subject = `event ${name}`;
    const oldMessage = messageAt(oldSnap, oldEvent);
    const newEvent = newEvents.get(name);
    if (!newEvent) {
      const sunset =
        oldMessage && isObject(oldMessage.value) && typeof oldMessage.value['x-sunset'] === 'string'
          ? oldMessage.value['x-sunset']
          : undefined;
      const ruleId =
        sunset === undefined
          ? 'message-removed'
          : sunset <= options.today
            ? 'message-removed-after-sunset'
            : 'message-removed-before-sunset';
      const file =
        newSnap.workspace.fileByDisplayPath(oldEvent.origin.file) ??
        (anyNewFile && newSnap.workspace.fileByDisplayPath(anyNewFile.file));
      sink.add({
        ruleId,
        subject,
        where: 'message',
        file: file?.displayPath ?? oldEvent.origin.file,
        position: file ? file.locate(oldEvent.origin.pointer) : oldEvent.origin.position,
        pointer: oldEvent.origin.pointer,
        oldFile: oldEvent.origin.file,
        oldPointer: oldEvent.origin.pointer,
        ...(sunset !== undefined ? { old: sunset } : {}),
        place: 'contract',
        mode: options.mode ?? declaredMode(oldMessage) ?? 'full',
        identity: name,
      });
      continue;
    }
    const newMessage = messageAt(newSnap, newEvent);
    if (!oldMessage || !newMessage) continue;
    const place = placeOf(newSnap, newEvent);
    const mode = options.mode ?? declaredMode(newMessage) ?? defaultMode(place);
    const contractMode = options.mode ?? declaredMode(newMessage) ?? 'full';
    const file = newMessage.file;
    const base = { subject, file: file.displayPath, oldFile: oldMessage.file.displayPath, identity: name };
    const attr = (ruleId: string, key: string, oldValue: unknown, newValue: unknown, pointer: string) => {
      if (JSON.stringify(oldValue) === JSON.stringify(newValue)) return;
      sink.add({
        ...base,
        ruleId,
        where: key,
        position: file.locate(pointer),
        pointer,
        old: oldValue,
        new: newValue,
        place: 'contract',
        mode: contractMode,
      });
    };
    const eb = joinPointer(newMessage.pointer, 'x-eventbridge');
    attr('event-source-changed', 'source', oldEvent.source, newEvent.source, joinPointer(eb, 'source'));
    attr(
      'event-detail-type-changed',
      'detail-type',
      oldEvent.detailType,
      newEvent.detailType,
      joinPointer(eb, 'detailType'),
    );
    attr(
      'event-content-type-changed',
      'contentType',
      oldEvent.contentType,
      newEvent.contentType,
      joinPointer(newMessage.pointer, 'contentType'),
    );
    attr(
      'event-schema-format-changed',
      'schemaFormat',
      schemaFormatOf(oldMessage),
      schemaFormatOf(newMessage),
      joinPointer(newMessage.pointer, 'payload', 'schemaFormat'),
    );
    attr(
      'event-correlation-id-changed',
      'correlationId',
      oldEvent.correlationIdPath?.join('.') ?? '(none)',
      newEvent.correlationIdPath?.join('.') ?? '(none)',
      joinPointer(newMessage.pointer, 'correlationId'),
    );
    const oldSunset = isObject(oldMessage.value) ? oldMessage.value['x-sunset'] : undefined;
    const newSunset = isObject(newMessage.value) ? newMessage.value['x-sunset'] : undefined;
    if (oldSunset === undefined && typeof newSunset === 'string') {
      const pointer = joinPointer(newMessage.pointer, 'x-sunset');
      sink.add({
        ...base,
        ruleId: 'message-deprecated',
        where: 'message',
        position: file.locate(pointer),
        pointer,
        new: newSunset,
        place: 'contract',
        mode: contractMode,
      });
    }
    const op = payloadOf(oldMessage);
    const np = payloadOf(newMessage);
    if (op && np)
      sink.compareSchema(checker, op, np, { subject, where: 'payload (detail.data)', place, mode });
    const oh =
      isObject(oldMessage.value) && oldMessage.value.headers !== undefined
        ? childAt(oldMessage, 'headers')
        : undefined;
    const nh =
      isObject(newMessage.value) && newMessage.value.headers !== undefined
        ? childAt(newMessage, 'headers')
        : undefined;
    if (oh || nh) {
      const empty = (m: At): At => ({ file: m.file, pointer: joinPointer(m.pointer, 'headers'), value: {} });
      sink.compareSchema(checker, oh ?? empty(oldMessage), nh ?? empty(newMessage), {
        subject,
        where: 'headers (detail.metadata)',
        place,
        mode,
      });
    }
  }
  for (const [name, newEvent] of newEvents) {
    if (oldEvents.has(name)) continue;
    const file = newSnap.workspace.fileByDisplayPath(newEvent.origin.file);
    if (!file) continue;
    sink.add({
      ruleId: 'message-added',
      subject: `event ${name}`,
      where: 'message',
      file: file.displayPath,
      position: newEvent.origin.position,
      pointer: newEvent.origin.pointer,
      place: 'contract',
      mode: options.mode ?? 'full',
      identity: name,
    });
  }
  compareOperations(sink, options);
  compareChannels(sink, options);
}

function compareOperations(sink: FindingSink, options: CompareOptions): void {
  const mode = options.mode ?? 'full';
  const names = (snap: Snapshot, op: EventOperation) =>
    op.events.map((p) => snap.model.events.find((e) => e.names.payload === p)?.messageName ?? p);
  const newOps = new Map(sink.newSnap.model.eventOperations.map((o) => [o.operationId, o]));
  const oldOps = new Map(sink.oldSnap.model.eventOperations.map((o) => [o.operationId, o]));
  for (const [id, oldOp] of oldOps) {
    const newOp = newOps.get(id);
    const subject = `${oldOp.action} operation ${id}`;
    if (!newOp) {
      const file = sink.newSnap.workspace.fileByDisplayPath(oldOp.origin.file);
      sink.add({
        ruleId: 'event-operation-removed',
        subject,
        where: 'operation',
        file: oldOp.origin.file,
        position: file ? file.locate(oldOp.origin.pointer) : oldOp.origin.position,
        pointer: oldOp.origin.pointer,
        oldFile: oldOp.origin.file,
        oldPointer: oldOp.origin.pointer,
        place: 'contract',
        mode,
        identity: id,
      });
      continue;
    }
    const file = sink.newSnap.workspace.fileByDisplayPath(newOp.origin.file) as SourceFile;
    const base = {
      subject: `${newOp.action} operation ${id}`,
      file: newOp.origin.file,
      place: 'contract' as const,
      mode,
      identity: id,
    };
    if (oldOp.action !== newOp.action) {
      const pointer = joinPointer(newOp.origin.pointer, 'action');
      sink.add({
        ...base,
        ruleId: 'event-operation-action-changed',
        where: 'action',
        position: file.locate(pointer),
        pointer,
        old: oldOp.action,
        new: newOp.action,
      });
    }
    if (oldOp.channel.name !== newOp.channel.name) {
      const pointer = joinPointer(newOp.origin.pointer, 'channel');
      sink.add({
        ...base,
        ruleId: 'event-operation-channel-changed',
        where: 'channel',
        position: file.locate(pointer),
        pointer,
        old: oldOp.channel.name,
        new: newOp.channel.name,
      });
    }
    const before = names(sink.oldSnap, oldOp);
    const after = names(sink.newSnap, newOp);
    const pointer = joinPointer(newOp.origin.pointer, 'messages');
    for (const m of before.filter((x) => !after.includes(x)))
      sink.add({
        ...base,
        ruleId: 'event-operation-message-removed',
        where: 'messages',
        detail: m,
        position: file.locate(pointer),
        pointer,
      });
    for (const m of after.filter((x) => !before.includes(x)))
      sink.add({
        ...base,
        ruleId: 'event-operation-message-added',
        where: 'messages',
        detail: m,
        position: file.locate(pointer),
        pointer,
      });
    const oldConsumer = sink.oldSnap.model.consumers.find((c) => c.operationId === id);
    const newConsumer = sink.newSnap.model.consumers.find((c) => c.operationId === id);
    if (oldConsumer && newConsumer) {
      const settings = (c: typeof oldConsumer) => ({
        delivery: c.delivery,
        queues: c.sqsQueues
          .map((q) => `${String(q.name)}${q.fifoQueue === true ? ' (FIFO)' : ''}`)
          .join(', '),
      });
      const so = settings(oldConsumer);
      const sn = settings(newConsumer);
      for (const key of ['delivery', 'queues'] as const) {
        if (so[key] === sn[key]) continue;
        const at = joinPointer(newOp.origin.pointer, key === 'delivery' ? 'x-consumer' : 'bindings');
        sink.add({
          ...base,
          ruleId: 'consumer-binding-changed',
          where: key,
          detail: key,
          position: file.locate(at),
          pointer: at,
          old: so[key],
          new: sn[key],
        });
      }
    }
  }
  for (const [id, newOp] of newOps) {
    if (oldOps.has(id)) continue;
    sink.add({
      ruleId: 'event-operation-added',
      subject: `${newOp.action} operation ${id}`,
      where: 'operation',
      file: newOp.origin.file,
      position: newOp.origin.position,
      pointer: newOp.origin.pointer,
      place: 'contract',
      mode,
      identity: id,
    });
  }
}

function compareChannels(sink: FindingSink, options: CompareOptions): void {
  const mode = options.mode ?? 'full';
  const channelsOf = (snap: Snapshot) => {
    const out = new Map<
      string,
      { file: SourceFile; pointer: string; address: unknown; messages: string[] }
    >();
    for (const doc of snap.model.documents.filter((d) => d.kind === 'asyncapi')) {
      const file = snap.workspace.fileByDisplayPath(doc.file);
      const channels =
        file && isObject(file.value) && isObject(file.value.channels) ? file.value.channels : {};
      for (const [key, ch] of Object.entries(channels)) {
        if (!isObject(ch) || !file) continue;
        out.set(key, {
          file,
          pointer: joinPointer('/channels', key),
          address: ch.address,
          messages: Object.keys(isObject(ch.messages) ? ch.messages : {}),
        });
      }
    }
    return out;
  };
  const oldChannels = channelsOf(sink.oldSnap);
  const newChannels = channelsOf(sink.newSnap);
  for (const [key, oc] of oldChannels) {
    const nc = newChannels.get(key);
    const subject = `channel ${key}`;
    if (!nc) {
      const file = sink.newSnap.workspace.fileByDisplayPath(oc.file.displayPath);
      sink.add({
        ruleId: 'channel-removed',
        subject,
        where: 'channel',
        file: oc.file.displayPath,
        position: file ? file.locate(oc.pointer) : { line: 1, column: 1 },
        pointer: oc.pointer,
        place: 'contract',
        mode,
        identity: key,
      });
      continue;
    }
    const base = { subject, file: nc.file.displayPath, place: 'contract' as const, mode, identity: key };
    if (JSON.stringify(oc.address) !== JSON.stringify(nc.address)) {
      const pointer = joinPointer(nc.pointer, 'address');
      sink.add({
        ...base,
        ruleId: 'channel-address-changed',
        where: 'address',
        position: nc.file.locate(pointer),
        pointer,
        old: oc.address ?? null,
        new: nc.address ?? null,
      });
    }
    const pointer = joinPointer(nc.pointer, 'messages');
    for (const m of oc.messages.filter((x) => !nc.messages.includes(x)))
      sink.add({
        ...base,
        ruleId: 'channel-message-removed',
        where: 'messages',
        detail: m,
        position: nc.file.locate(pointer),
        pointer,
      });
    for (const m of nc.messages.filter((x) => !oc.messages.includes(x)))
      sink.add({
        ...base,
        ruleId: 'channel-message-added',
        where: 'messages',
        detail: m,
        position: nc.file.locate(joinPointer(pointer, m)),
        pointer: joinPointer(pointer, m),
      });
  }
}
