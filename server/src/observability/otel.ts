/**
 * The OTLP trace exporter (the official OpenTelemetry JS SDK), configured by the standard OTEL_*
 * variables (config/env.ts): http/protobuf or http/json to OTEL_EXPORTER_OTLP[_TRACES]_ENDPOINT,
 * a bounded batch buffer (OTEL_BSP_*), the OTEL_TRACES_SAMPLER sampler. Spans never wait for the
 * collector: a full buffer or a failed export drops spans, counts them, and logs once a minute.
 */
import { type Context, context, ROOT_CONTEXT, SpanKind, TraceFlags, trace } from "@opentelemetry/api";
import type { ExportResult } from "@opentelemetry/core";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { type Resource, resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type ReadableSpan,
  type Sampler,
  SamplingDecision,
  type SpanExporter,
  TraceIdRatioBasedSampler,
} from "@opentelemetry/sdk-trace";
import type { Config } from "../config/env.ts";
import type { Logger } from "./logger.ts";
import type { TraceParent } from "./trace-context.ts";

export interface SpanSink {
  readonly resource: Resource;
  /** Whether a run's trace is recorded (the sampler's decision, made once per trace). */
  sampled(traceId: string, parent: TraceParent | null, name: string): boolean;
  submit(span: ReadableSpan): void;
  /** Export what is buffered now. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

function samplerOf(otel: Config["otel"]): Sampler {
  const ratio = new TraceIdRatioBasedSampler(otel.samplerRatio);
  switch (otel.sampler) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return ratio;
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

function parentContext(parent: TraceParent | null): Context {
  if (!parent) return ROOT_CONTEXT;
  const flags = parent.flags & 1 ? TraceFlags.SAMPLED : TraceFlags.NONE;
  return trace.setSpanContext(context.active(), {
    traceId: parent.traceId,
    spanId: parent.spanId,
    traceFlags: flags,
    isRemote: true,
  });
}

/** Counts what never reaches the collector: spans refused by a full buffer and failed exports. */
class CountingExporter implements SpanExporter {
  queued = 0;
  constructor(
    private readonly inner: SpanExporter,
    private readonly dropped: (n: number) => void,
  ) {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.queued = Math.max(0, this.queued - spans.length);
    this.inner.export(spans, (result) => {
      if (result.code !== 0) this.dropped(spans.length);
      done(result);
    });
  }
  shutdown() {
    return this.inner.shutdown();
  }
  forceFlush() {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

function exporterOf(otel: Config["otel"], url: string): SpanExporter {
  const options = { url, headers: { ...otel.headers }, timeoutMillis: otel.batch.exportTimeoutMillis };
  return otel.protocol === "http/json" ? new JsonExporter(options) : new ProtobufExporter(options);
}

/** Null when no endpoint is configured: then FlowTrace exports no spans at all. */
export function createSpanSink(config: Config, logger: Logger, onDropped: (n: number) => void): SpanSink | null {
  const { otel } = config;
  if (!otel.tracesUrl) return null;
  let droppedSinceLog = 0;
  const drop = (n: number) => {
    droppedSinceLog += n;
    onDropped(n);
  };
  const timer = setInterval(() => {
    if (droppedSinceLog === 0) return;
    logger.warn(
      { spans: droppedSinceLog, endpoint: otel.tracesUrl },
      "OTLP exporter dropped spans (collector away or slow)",
    );
    droppedSinceLog = 0;
  }, 60_000);
  timer.unref();
  const exporter = new CountingExporter(exporterOf(otel, otel.tracesUrl), drop);
  const processor = new BatchSpanProcessor({ exporter, ...otel.batch });
  const sampler = samplerOf(otel);
  const resource = resourceFromAttributes({ ...otel.resourceAttributes, "service.name": otel.serviceName });
  return {
    resource,
    sampled(traceId, parent, name) {
      const decision = sampler.shouldSample(parentContext(parent), traceId, name, SpanKind.INTERNAL, {}, []);
      return decision.decision === SamplingDecision.RECORD_AND_SAMPLED;
    },
    submit(span) {
      if (exporter.queued >= otel.batch.maxQueueSize) return drop(1);
      exporter.queued++;
      processor.onEnd(span);
    },
    flush: () => processor.forceFlush().catch(() => undefined),
    async shutdown() {
      clearInterval(timer);
      await processor.shutdown().catch(() => undefined);
    },
  };
}
