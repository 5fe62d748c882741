import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { readerRestartName } from '../core';
import { article, Findings, quote, ReadWriteSplitError } from '../core/errors';
import { pinnedImageProblems } from '../core/image-reference';
import { manifest } from './manifest';
import { restrictedContainerSecurity, restrictedPodSecurity } from './pod-security';

/** Props of a scheduled rolling restart of reader pods. */
export interface ReaderRestartScheduleProps {
  /** The application workload that runs the reader sidecar. */
  readonly workload: kplus.Deployment | kplus.StatefulSet | kplus.DaemonSet | ApiObject;
  /** Cron schedule of the restart, e.g. `0 *\/6 * * *`; pick it from how fresh readers must be. */
  readonly schedule: string;
  /**
   * A pinned kubectl image: a release tag (not `latest`) or a digest, e.g.
   * `registry.k8s.io/kubectl:v1.31.0` or `registry.k8s.io/kubectl:v1.31.0@sha256:<64 hex>`.
   */
  readonly kubectlImage: string;
  /**
   * Namespace of the workload (the schedule's objects go there too).
   *
   * @default - the workload's namespace
   */
  readonly namespace?: string;
}

const CRON = /^(\S+\s+){4}\S+$/;
const RESOURCES: Readonly<Record<string, string>> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' };

/**
 * A CronJob that rolls a workload's pods on a schedule. Readers that cannot hot-swap snapshots
 * (OSS and spiced 1.x) restore a snapshot only when they start with an empty local disk, so a
 * rolling restart is how they pick up newer ones. The job may patch that one workload only.
 */
export class ReaderRestartSchedule extends Construct {
  constructor(scope: Construct, id: string, props: ReaderRestartScheduleProps) {
    super(scope, id);
    const target = ApiObject.of(props.workload);
    const kind = target.kind;
    const workloadName = target.metadata.name!;
    const findings = new Findings();
    if (typeof props.schedule !== 'string' || !CRON.test(props.schedule.trim())) {
      findings.problem('props.schedule', `${quote(props.schedule)} is not a cron schedule`, "use five fields, e.g. '0 */6 * * *'");
    }
    for (const problem of pinnedImageProblems(props.kubectlImage, 'registry.k8s.io/kubectl:v1.31.0')) {
      findings.problem('props.kubectlImage', problem.message, problem.fix);
    }
    const resource = RESOURCES[kind];
    if (!resource) {
      findings.problem('props.workload', `is ${article(kind)}, which has no rolling restart`, 'pass a Deployment, StatefulSet or DaemonSet');
    }
    // Everything lives beside the workload: `kubectl rollout restart` acts in its own namespace.
    const workloadNamespace = target.metadata.namespace ?? Chart.of(target).namespace;
    const namespace = props.namespace ?? workloadNamespace;
    if (namespace !== workloadNamespace) {
      findings.problem('props.namespace', `is ${quote(namespace)}, but the workload is in ${quote(workloadNamespace)}: the job could not restart it`, "leave it out, or set the workload's namespace");
    }
    if (findings.problems.length > 0) throw new ReadWriteSplitError('Invalid reader restart schedule', findings.problems, this.node.path);
    const name = readerRestartName(workloadName);
    const meta = { name, namespace };
    manifest(this, 'ServiceAccount', 'v1', 'ServiceAccount', meta, { automountServiceAccountToken: true });
    manifest(this, 'Role', 'rbac.authorization.k8s.io/v1', 'Role', meta, {
      rules: [{ apiGroups: ['apps'], resources: [resource], resourceNames: [workloadName], verbs: ['get', 'patch'] }],
    });
    manifest(this, 'RoleBinding', 'rbac.authorization.k8s.io/v1', 'RoleBinding', meta, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });
    manifest(this, 'CronJob', 'batch/v1', 'CronJob', meta, {
      spec: {
        schedule: props.schedule,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            template: {
              spec: {
                serviceAccountName: name,
                restartPolicy: 'Never',
                securityContext: restrictedPodSecurity(),
                containers: [{
                  name: 'restart',
                  image: props.kubectlImage,
                  imagePullPolicy: 'IfNotPresent',
                  args: ['rollout', 'restart', `${kind.toLowerCase()}/${workloadName}`],
                  env: [{ name: 'HOME', value: '/tmp' }],
                  resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
                  securityContext: restrictedContainerSecurity(),
                  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                }],
                volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
              },
            },
          },
        },
      },
    });
  }
}
