import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { FunctionBundles } from './function-bundles';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './function-worker';

/**
 * A local Lambda function: instances are worker threads, each with its own module state and only
 * the environment the function's template gives it; one event at a time per instance, a new
 * instance (a cold start: importing the function's bundle, as Lambda's init does) when every one is
 * busy, up to `maxInstances` (4 unless said; beyond that, events wait where AWS would add instances:
 * this machine has two cores, not a Lambda environment per instance). An invocation that runs past the
 * function's timeout has its instance terminated, as Lambda does, and fails with Lambda's message.
 */
export interface LocalFunctionOptions {
  /** The entry module, relative to the repository, as the manifest names it. */
  entry: string;
  /** Where its bundle and the worker host are (bundleFunctions, with this entry among them). */
  bundles: FunctionBundles;
  /** As Lambda names it in the context and in log lines. */
  functionName: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  maxInstances?: number;
  /**
   * Instances to start at once, so their init phase is done before the events that would otherwise
   * wait for it: as many as are invoked side by side.
   */
  warmInstances?: number;
  log: (line: Record<string, unknown>) => void;
}

export interface LocalFunction {
  /** Runs one event; rejects with the handler's error, or a timeout. */
  invoke(event: unknown, requestId?: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** What a function invocation failed with, as Lambda reports it (`errorType`, `errorMessage`). */
export class FunctionError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = errorType;
  }
}

interface Instance {
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
  /** The invocation it is running, if any. */
  current?: number;
}

export function startFunction(options: LocalFunctionOptions): LocalFunction {
  const maxInstances = options.maxInstances ?? 4;
  const instances = new Set<Instance>();
  const waiting: ((instance: Instance) => void)[] = [];
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let stopped = false;

  /** Takes an instance out of service at once (it is being terminated or has exited); its invocation fails. */
  function retire(instance: Instance, error: FunctionError) {
    instances.delete(instance);
    if (instance.current === undefined) return;
    pending.get(instance.current)?.reject(error);
    pending.delete(instance.current);
  }

  function spawn(): Instance {
    const setup: WorkerSetup = { entry: options.entry, bundleUrl: options.bundles.of(options.entry).href, functionName: options.functionName, memoryMb: options.memoryMb };
    // Plain JavaScript, whatever started this process (npm start under tsx, a test runner): no loader in the instance.
    const worker = new Worker(options.bundles.worker, {
      env: options.environment,
      execArgv: [],
      workerData: setup,
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
    });
    let markReady: () => void = () => undefined;
    let failStart: (error: Error) => void = () => undefined;
    const instance: Instance = {
      worker,
      busy: true,
      ready: new Promise<void>((resolve, reject) => {
        markReady = resolve;
        failStart = reject;
      }),
    };
    worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) return markReady();
      options.log(reply.report);
      const call = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.ok) call?.resolve(reply.result);
      else call?.reject(new FunctionError(reply.error.name, reply.error.message));
    });
    // A crash (an error at init, memory exhausted): the instance is gone, like a Lambda runtime exit.
    worker.on('error', (error) => {
      options.log({ level: 'ERROR', message: 'function instance crashed', function: options.functionName, error: error.message });
      failStart(error);
    });
    worker.on('exit', () => {
      const error = new FunctionError('Runtime.ExitError', 'The function instance exited.');
      retire(instance, error);
      failStart(error);
    });
    instances.add(instance);
    return instance;
  }

  async function acquire(): Promise<Instance> {
    const idle = [...instances].find((instance) => !instance.busy);
    if (idle) {
      idle.busy = true;
      return idle;
    }
    if (instances.size < maxInstances) return spawn();
    return new Promise((resolve) => waiting.push(resolve));
  }

  function release(instance: Instance) {
    const next = waiting.shift();
    if (next && instances.has(instance)) return next(instance);
    instance.busy = false;
    // Its slot may have been freed by a terminated instance: the next in line gets a new one.
    if (next) next(spawn());
  }

  for (let i = 0; i < Math.min(options.warmInstances ?? 0, maxInstances); i++) {
    const warming = spawn();
    warming.ready.then(
      () => release(warming),
      () => undefined,
    );
  }

  return {
    async invoke(event, requestId = randomUUID()) {
      if (stopped) throw new FunctionError('Runtime.Stopped', 'The local runtime is stopping.');
      const instance = await acquire();
      const id = nextId++;
      const timeoutMs = options.timeoutSeconds * 1000;
      try {
        await instance.ready;
        return await new Promise<unknown>((resolve, reject) => {
          const timer = setTimeout(() => {
            options.log({ level: 'ERROR', message: 'function timed out', function: options.functionName, requestId, timeoutSeconds: options.timeoutSeconds });
            retire(instance, new FunctionError('Sandbox.Timedout', `Task timed out after ${options.timeoutSeconds.toFixed(2)} seconds`));
            void instance.worker.terminate();
          }, timeoutMs);
          pending.set(id, {
            resolve: (value) => {
              clearTimeout(timer);
              resolve(value);
            },
            reject: (error) => {
              clearTimeout(timer);
              reject(error);
            },
          });
          instance.current = id;
          instance.worker.postMessage({ id, event, requestId, deadline: Date.now() + timeoutMs } satisfies WorkerRequest);
        });
      } finally {
        instance.current = undefined;
        release(instance);
      }
    },
    async stop() {
      stopped = true;
      await Promise.all([...instances].map((instance) => instance.worker.terminate()));
    },
  };
}
