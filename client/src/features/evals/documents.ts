/**
 * The GraphQL operations of datasets and experiments, typed by codegen (`npx graphql-codegen`).
 * Their fields are aliased to the evals contract's names (`item_count: itemCount`), so the pages
 * and charts read the one shape `@flowtrace/contract/evals` declares, whichever transport fed it;
 * `contract()` below is where GraphQL's untyped JSON fields take the contract's types.
 */
import { graphql } from "../../graphql/index.ts";

export const DatasetFields = graphql(`
  fragment DatasetFields on Dataset {
    id
    name
    description
    item_count: itemCount
    created_at: createdAt
    updated_at: updatedAt
  }
`);

export const ExperimentFields = graphql(`
  fragment ExperimentFields on Experiment {
    id
    name
    workflow_id: workflowId
    workflow_version: workflowVersion
    dataset_id: datasetId
    status
    scorers
    concurrency
    error_summary: errorSummary
    created_at: createdAt
    started_at: startedAt
    finished_at: finishedAt
    summary {
      items
      scored
      passed
      pass_rate: passRate
      scores
      total_cost_cents: totalCostCents
      cost_complete: costComplete
      total_tokens: totalTokens
      p50_latency_ms: p50LatencyMs
      p95_latency_ms: p95LatencyMs
      cache_hits: cacheHits
      failed_runs: failedRuns
      judge_tokens: judgeTokens
      judge_cost_cents: judgeCostCents
      judge_cost_complete: judgeCostComplete
    }
  }
`);

export const DatasetsQuery = graphql(`
  query Datasets {
    datasets {
      ...DatasetFields
    }
  }
`);

export const DatasetQuery = graphql(`
  query Dataset($id: ID!, $offset: Int!, $limit: Int!) {
    dataset(id: $id) {
      ...DatasetFields
      items(offset: $offset, limit: $limit) {
        next_offset: nextOffset
        items {
          id
          position
          input_vars: inputVars
          expected
          metadata
          source_run_id: sourceRunId
          created_at: createdAt
        }
      }
    }
  }
`);

export const ExperimentFormQuery = graphql(`
  query ExperimentForm($workflowId: ID!) {
    datasets {
      ...DatasetFields
    }
    workflow(id: $workflowId) {
      id
      versions {
        version
        message
      }
    }
  }
`);

export const CreateDatasetMutation = graphql(`
  mutation CreateDataset($name: String!, $description: String) {
    createDataset(name: $name, description: $description) {
      __typename
      ... on Dataset {
        id
      }
      ... on InvalidRequestError {
        message
        issues {
          path
          message
        }
      }
    }
  }
`);

export const DeleteDatasetMutation = graphql(`
  mutation DeleteDataset($id: ID!) {
    deleteDataset(id: $id) {
      __typename
      ... on NotFoundError {
        message
      }
    }
  }
`);

export const AddRunToDatasetMutation = graphql(`
  mutation AddRunToDataset($datasetId: ID!, $runId: ID!) {
    addRunToDataset(datasetId: $datasetId, runId: $runId) {
      __typename
      ... on Dataset {
        id
        name
        item_count: itemCount
      }
      ... on InvalidRequestError {
        message
      }
      ... on NotFoundError {
        message
      }
    }
  }
`);

export const ExperimentsQuery = graphql(`
  query Experiments($workflowId: ID!) {
    workflow(id: $workflowId) {
      id
      experiments {
        ...ExperimentFields
      }
    }
  }
`);

export const ExperimentQuery = graphql(`
  query Experiment($id: ID!) {
    experiment(id: $id) {
      ...ExperimentFields
      items {
        item_id: itemId
        position
        input_vars: inputVars
        expected
        run_id: runId
        status
        scored
        passed
        output
        scores {
          scorer
          pass
          score
          reason
        }
        cost_cents: costCents
        cost_complete: costComplete
        latency_ms: latencyMs
        tokens
        cache_hits: cacheHits
        judge_tokens: judgeTokens
        judge_cost_cents: judgeCostCents
        judge_cost_complete: judgeCostComplete
        error
      }
    }
  }
`);

export const ExperimentComparisonQuery = graphql(`
  query ExperimentComparison($id: ID!, $against: ID!) {
    experiment(id: $id) {
      id
      comparison(against: $against)
    }
  }
`);

export const StartExperimentMutation = graphql(`
  mutation StartExperiment(
    $workflowId: ID!
    $datasetId: ID!
    $scorers: JSON!
    $version: Int
    $concurrency: Int
    $name: String
  ) {
    startExperiment(
      workflowId: $workflowId
      datasetId: $datasetId
      scorers: $scorers
      version: $version
      concurrency: $concurrency
      name: $name
    ) {
      __typename
      ... on Experiment {
        id
      }
      ... on InvalidRequestError {
        message
        issues {
          path
          message
        }
      }
      ... on ValidationError {
        message
        issues {
          path
          message
        }
      }
      ... on NotFoundError {
        message
      }
    }
  }
`);

export const CancelExperimentMutation = graphql(`
  mutation CancelExperiment($id: ID!) {
    cancelExperiment(id: $id) {
      __typename
      ... on Experiment {
        id
        status
      }
      ... on ConflictError {
        message
      }
      ... on NotFoundError {
        message
      }
    }
  }
`);

/**
 * A GraphQL answer as the evals contract's type. GraphQL types its JSON fields (inputs, outputs,
 * scorers, per-scorer means) as `unknown`; the server fills them from the contract's shapes, and the
 * aliased fields above carry the contract's names, so this is where the two meet — once.
 */
export function contract<T>(value: unknown): T {
  return value as T;
}
