import { fromEnv } from "@aws-sdk/credential-provider-env";
export const defaultProvider = () => fromEnv();
