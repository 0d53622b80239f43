/** The GraphQL operations of this feature, typed by codegen (`npx graphql-codegen`). */
import { graphql } from "../../graphql/index.ts";

export const RunsQuery = graphql(`
  query Runs($workflowId: ID!, $status: RunStatus) {
    workflow(id: $workflowId) {
      id
      name
    }
    runs(workflowId: $workflowId, status: $status, first: 100) {
      edges {
        node {
          ...RunRow_run
        }
      }
    }
  }
`);
