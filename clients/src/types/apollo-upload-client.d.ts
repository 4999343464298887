// apollo-upload-client ships JavaScript with JSDoc, no declarations: the
// one function used here, typed as its documentation describes it.
declare module "apollo-upload-client/createUploadLink.mjs" {
  import type { ApolloLink } from "@apollo/client/core/index.js";

  export default function createUploadLink(options?: {
    uri?: string;
    headers?: Record<string, string>;
  }): ApolloLink;
}
