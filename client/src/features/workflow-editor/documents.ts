/** The GraphQL operations of this feature, typed by codegen (`npx graphql-codegen`). */
import { graphql } from "../../graphql/index.ts";

export const WorkflowQuery = graphql(`
  query Workflow($id: ID!) {
    workflow(id: $id) {
      id
      name
      description
      graphJson
    }
  }
`);

export const WorkflowVersionsQuery = graphql(`
  query WorkflowVersions($id: ID!) {
    workflow(id: $id) {
      id
      currentVersion
      versions {
        version
        message
        createdAt
      }
    }
  }
`);

export const WorkflowVersionDiffQuery = graphql(`
  query WorkflowVersionDiff($id: ID!, $from: Int!, $to: Int!) {
    workflow(id: $id) {
      id
      versionDiff(from: $from, to: $to)
    }
  }
`);

export const RestoreWorkflowVersionMutation = graphql(`
  mutation RestoreWorkflowVersion($id: ID!, $version: Int!) {
    restoreWorkflowVersion(id: $id, version: $version) {
      __typename
      ... on Workflow {
        id
        currentVersion
        graphJson
      }
      ... on NotFoundError {
        message
      }
    }
  }
`);

export const CatalogQuery = graphql(`
  query Catalog {
    providers {
      name
      simulated
    }
    pricing {
      models {
        provider
        model
        aliases
      }
    }
  }
`);

export const UpdateWorkflowMutation = graphql(`
  mutation UpdateWorkflow($id: ID!, $input: WorkflowUpdateInput!) {
    updateWorkflow(id: $id, input: $input) {
      __typename
      ... on Workflow {
        id
        name
        graphJson
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

export const ValidateWorkflowQuery = graphql(`
  query ValidateWorkflow($graph: JSON!) {
    validateWorkflow(graph: $graph) {
      path
      message
    }
  }
`);

export const StartRunMutation = graphql(`
  mutation StartRun($workflowId: ID!, $inputVars: JSON) {
    startRun(workflowId: $workflowId, inputVars: $inputVars) {
      __typename
      ... on Run {
        id
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

/** The project's workflows, for a sub-workflow node to call. */
export const CallableWorkflowsQuery = graphql(`
  query CallableWorkflows {
    workflows(first: 100) {
      edges {
        node {
          id
          name
          currentVersion
        }
      }
    }
  }
`);

/** Whether the workflow is offered to MCP clients as a tool. */
export const ExposeAsToolQuery = graphql(`
  query ExposeAsTool($id: ID!) {
    workflow(id: $id) {
      id
      exposeAsTool
    }
  }
`);

export const SetExposeAsToolMutation = graphql(`
  mutation SetExposeAsTool($id: ID!, $expose: Boolean!) {
    updateWorkflow(id: $id, input: { exposeAsTool: $expose }) {
      __typename
      ... on Workflow {
        id
        exposeAsTool
      }
    }
  }
`);
