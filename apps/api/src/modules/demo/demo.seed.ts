import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { loadViewer } from '../../common/auth/authenticate';
import type { Viewer } from '../../common/auth/viewer';
import type { Services } from '../../schema';
import { changeStage } from '../governance/governance.service';
import { DataRole } from '../lineage/lineage.types';
import { Stage } from '../model/model.entity';
import { RunStatus } from '../run/run.entity';
import { auditedTransaction } from '../audit/audit.service';

const PROJECT = 'demo';
const MODEL = 'fraud-classifier';
const REPOSITORY = 'github.com/example/fraud-detection';

const digestOf = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const shaOf = (text: string) => createHash('sha1').update(text).digest('hex');
const md5Of = (text: string) => createHash('md5').update(text).digest('hex');

/**
 * A small, real demo project for a new embedded instance: two commits, raw and prepared data, a
 * preparation run, four training runs, and four versions of one model, one in each stage. It goes
 * through the same services as the API, so its lineage edges and audit events are genuine.
 */
export async function seedDemoProject(dataSource: DataSource, services: Services, adminId: string): Promise<void> {
  const admin = (await loadViewer(dataSource, adminId)) as Viewer;
  await services.projects.create(admin, { key: PROJECT, name: 'Demo: fraud detection', description: 'Sample lineage recorded at first start.' });
  const owner = (await loadViewer(dataSource, adminId)) as Viewer;

  const commits = [];
  for (const [index, message] of ['Add gradient boosting trainer', 'Tune class weights for rare fraud'].entries()) {
    commits.push(
      await services.commits.record(owner, {
        project: PROJECT,
        repository: REPOSITORY,
        sha: shaOf(message),
        branch: 'main',
        author: 'Data Science Team <ds@example.com>',
        message,
        committedAt: new Date(Date.UTC(2026, 9, 1 + index * 7)),
        dirty: false,
      }),
    );
  }
  const raw = await services.dataVersions.register(owner, {
    project: PROJECT,
    dataset: 'transactions/raw',
    contentHash: md5Of('transactions 2026-09'),
    hashAlgorithm: 'md5',
    uri: 's3://example-fraud/raw/2026-09/',
    sizeBytes: 14_445_097,
    fileCount: 30,
    format: 'parquet',
  });
  const prepare = await services.runs.start(owner, {
    project: PROJECT,
    experiment: 'data-preparation',
    name: 'prepare-2026-09',
    commitId: commits[0].id,
    entrypoint: 'python src/prepare.py',
    environment: { python: '3.11.7', packages: { pandas: '2.2.3' } },
    params: [{ key: 'split', value: '0.2' }, { key: 'seed', value: '20170428' }],
    inputs: [{ dataVersionId: raw.id, role: DataRole.OTHER }],
  });
  const splits = [];
  for (const split of ['train', 'validation']) {
    splits.push(
      await services.dataVersions.register(owner, {
        project: PROJECT,
        dataset: `transactions/${split}`,
        contentHash: `${md5Of(`prepared ${split}`)}.dir`,
        hashAlgorithm: 'md5',
        uri: `s3://example-fraud/prepared/${split}/`,
        fileCount: 2,
        format: 'parquet',
        derivedFrom: [raw.id],
        producedByRunId: prepare.id,
      }),
    );
  }
  await services.runs.finish(owner, { runId: prepare.id, status: RunStatus.FINISHED });

  const stages = [Stage.ARCHIVED, Stage.PRODUCTION, Stage.STAGING, Stage.NONE];
  for (const [index, stage] of stages.entries()) {
    const run = await services.runs.start(owner, {
      project: PROJECT,
      experiment: 'gradient-boosting',
      name: `train-${index + 1}`,
      commitId: commits[Math.min(index, 1)].id,
      entrypoint: 'python src/train.py',
      environment: { python: '3.11.7', packages: { 'scikit-learn': '1.5.2', xgboost: '2.1.1' } },
      params: [{ key: 'learning_rate', value: String(0.1 / (index + 1)) }, { key: 'max_depth', value: String(4 + index) }],
      tags: [{ key: 'team', value: 'fraud' }],
      inputs: [{ dataVersionId: splits[0].id, role: DataRole.TRAIN }, { dataVersionId: splits[1].id, role: DataRole.VALIDATION }],
    });
    await services.runs.logMetrics(owner, {
      runId: run.id,
      metrics: [0, 1, 2, 3, 4].flatMap((step) => [
        { key: 'val_auc', value: 0.8 + index * 0.02 + step * 0.01, step },
        { key: 'train_loss', value: 0.6 / (step + 1) - index * 0.01, step },
      ]),
    });
    await services.runs.finish(owner, {
      runId: run.id,
      status: RunStatus.FINISHED,
      artifacts: [{ path: 'model/model.pkl', uri: `s3://example-fraud/runs/${run.id}/model.pkl`, digest: digestOf(`model ${index}`), kind: 'model' }],
    });
    const version = await services.models.register(owner, {
      project: PROJECT,
      model: MODEL,
      runId: run.id,
      artifactUri: `s3://example-fraud/runs/${run.id}/model.pkl`,
      artifactDigest: digestOf(`model ${index}`),
      description: `Gradient boosting, depth ${4 + index}`,
    });
    if (stage !== Stage.NONE) {
      // Demo versions start in their stages directly; real promotions go through transition requests.
      await auditedTransaction(dataSource, (manager) => changeStage(manager, owner, version, stage, null, 'demo data placed in its stage at first start'));
    }
    if (stage === Stage.PRODUCTION) await services.governance.setAlias(owner, { modelVersionId: version.id, alias: 'champion' });
  }
}
