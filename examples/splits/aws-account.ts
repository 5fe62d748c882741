/** The AWS account and EKS cluster the examples deploy to; replace with yours. */
export const EXAMPLE_AWS_ACCOUNT = '111122223333';

/** The IAM OIDC provider of the example EKS cluster (for IRSA). */
export const EXAMPLE_OIDC_PROVIDER_ARN = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0123456789ABCDEF';
