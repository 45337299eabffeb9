// What an AWS failure says: one line a person can act on, from what the SDK threw (its name, its
// message's first line, how many attempts), and, where AWS refused the caller, what to do.
import { describe, expect, it } from 'vitest';
import { describeAwsError } from '../../src/aws/errors.js';

const at = { region: 'eu-west-1' };
const sdk = (name: string, message: string, attempts = 1) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400, attempts } });
const policy = 'asg-watchdog iam-policy -g GROUP prints the policy the watchdog needs (docs/operations.md)';
const keys = "AWS does not take these credentials: 'aws sts get-caller-identity' with the same profile or keys tells whose they are";
const expired = "the credentials have expired: renew them ('aws sso login' for an SSO profile)";

describe('describeAwsError', () => {
  it.each([
    { what: 'a throttle, retried', error: sdk('Throttling', 'Rate exceeded', 3), expected: 'DescribeAutoScalingGroups failed at AWS eu-west-1 after 3 attempts: Throttling: Rate exceeded' },
    // A code with no hint is said as it is, whatever its name.
    { what: 'a code named like an object property', error: sdk('constructor', 'odd'), expected: 'DescribeAutoScalingGroups failed at AWS eu-west-1: constructor: odd' },
    { what: 'the first line of a long message', error: sdk('ValidationError', 'bad\nmore'), expected: 'DescribeAutoScalingGroups failed at AWS eu-west-1: ValidationError: bad' },
    // A policy without the call, as Query, JSON and EC2 say it.
    { what: 'AccessDenied (Query)', error: sdk('AccessDenied', 'User: u is not authorized to perform: autoscaling:DescribeAutoScalingGroups'), expected: `DescribeAutoScalingGroups failed at AWS eu-west-1: AccessDenied: User: u is not authorized to perform: autoscaling:DescribeAutoScalingGroups; ${policy}` },
    { what: 'AccessDeniedException (JSON)', error: sdk('AccessDeniedException', 'User: u is not authorized'), expected: `DescribeAutoScalingGroups failed at AWS eu-west-1: AccessDeniedException: User: u is not authorized; ${policy}` },
    { what: 'UnauthorizedOperation (EC2)', error: sdk('UnauthorizedOperation', 'You are not authorized to perform this operation.'), expected: `DescribeAutoScalingGroups failed at AWS eu-west-1: UnauthorizedOperation: You are not authorized to perform this operation; ${policy}` },
    // Keys AWS does not know, a secret mistyped, EC2's word for either; a session that ran out.
    { what: 'InvalidClientTokenId', error: sdk('InvalidClientTokenId', 'The security token included in the request is invalid.'), expected: `DescribeAutoScalingGroups failed at AWS eu-west-1: InvalidClientTokenId: The security token included in the request is invalid; ${keys}` },
    { what: 'UnrecognizedClientException', error: sdk('UnrecognizedClientException', 'The security token included in the request is invalid.'), expected: `DescribeAutoScalingGroups failed at AWS eu-west-1: UnrecognizedClientException: The security token included in the request is invalid; ${keys}` },
    { what: 'SignatureDoesNotMatch', error: sdk('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'), expected: `DescribeAutoScalingGroups failed at AWS eu-west-1: SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided; ${keys}` },
    { what: 'AuthFailure (EC2)', error: sdk('AuthFailure', 'AWS was not able to validate the provided access credentials'), expected: `DescribeAutoScalingGroups failed at AWS eu-west-1: AuthFailure: AWS was not able to validate the provided access credentials; ${keys}` },
    { what: 'ExpiredToken', error: sdk('ExpiredToken', 'The security token included in the request is expired'), expected: `DescribeAutoScalingGroups failed at AWS eu-west-1: ExpiredToken: The security token included in the request is expired; ${expired}` },
    // The network, in words with its code.
    { what: 'a refused connection', error: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), expected: 'cannot reach AWS eu-west-1 for DescribeAutoScalingGroups: connection refused (ECONNREFUSED)' },
    { what: 'a host no name server knows', error: new Error('getaddrinfo ENOTFOUND autoscaling.eu-west-1.amazonaws.com'), expected: 'cannot reach AWS eu-west-1 for DescribeAutoScalingGroups: no such host (ENOTFOUND)' },
  ])('$what', ({ error, expected }) => {
    expect(describeAwsError(error, 'DescribeAutoScalingGroups', at)).toBe(expected);
  });
});
