/** The GraphQL operations of this feature, typed by codegen (`npx graphql-codegen`). */
import { graphql } from "../../graphql/index.ts";

export const WorkflowsQuery = graphql(`
  query Workflows($search: String) {
    workflows(first: 100, search: $search) {
      edges {
        node {
          ...WorkflowRow_workflow
        }
      }
    }
  }
`);

export const CreateWorkflowMutation = graphql(`
  mutation CreateWorkflow($input: WorkflowInput!) {
    createWorkflow(input: $input) {
      __typename
      ... on Workflow {
        id
      }
      ... on ValidationError {
        message
        issues {
          path
          message
        }
      }
    }
  }
`);

export const DeleteWorkflowMutation = graphql(`
  mutation DeleteWorkflow($id: ID!) {
    deleteWorkflow(id: $id) {
      __typename
    }
  }
`);
