/**
 * EC2 on-demand prices, USD per hour, Linux, shared tenancy, by region and
 * instance type. us-east-1 holds every type of the built-in table
 * (src/config/instance-types.ts) from the AWS Price List API
 * (`PRICE_SOURCES.priceListApi`); the other regions come from the SkyPilot
 * catalog (`PRICE_SOURCES.skypilotCatalog`), whose us-east-1 figures are the
 * same: so far the burstable families (t3, t3a, t4g), c5, m6g.xlarge and
 * m6i.large. A pair that is absent is reported missing, never estimated:
 * either the source lacks it (t3a is not offered in eu-north-1; sa-east-1 is
 * not in the catalog) or it has not been copied yet.
 */
import type { PriceSourceId } from './price-sources';

export const ON_DEMAND_SOURCE: Readonly<Record<string, PriceSourceId>> = {
  'us-east-1': 'priceListApi',
};
/** Source of the regions not named in `ON_DEMAND_SOURCE`. */
export const ON_DEMAND_DEFAULT_SOURCE: PriceSourceId = 'skypilotCatalog';

export const ON_DEMAND_USD_PER_HOUR: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'us-east-1': {
    't3.nano': 0.0052, 't3.micro': 0.0104, 't3.small': 0.0208, 't3.medium': 0.0416, 't3.large': 0.0832, 't3.xlarge': 0.1664, 't3.2xlarge': 0.3328,
    't3a.nano': 0.0047, 't3a.micro': 0.0094, 't3a.small': 0.0188, 't3a.medium': 0.0376, 't3a.large': 0.0752, 't3a.xlarge': 0.1504, 't3a.2xlarge': 0.3008,
    't4g.nano': 0.0042, 't4g.micro': 0.0084, 't4g.small': 0.0168, 't4g.medium': 0.0336, 't4g.large': 0.0672, 't4g.xlarge': 0.1344, 't4g.2xlarge': 0.2688,
    'm5.large': 0.096, 'm5.xlarge': 0.192, 'm5.2xlarge': 0.384,
    'm6i.large': 0.096, 'm6i.xlarge': 0.192, 'm6i.2xlarge': 0.384,
    'm6a.large': 0.0864, 'm6a.xlarge': 0.1728, 'm6a.2xlarge': 0.3456,
    'm7i.large': 0.1008, 'm7i.xlarge': 0.2016, 'm7i.2xlarge': 0.4032,
    'm7a.large': 0.11592, 'm7a.xlarge': 0.23184, 'm7a.2xlarge': 0.46368,
    'm6g.large': 0.077, 'm6g.xlarge': 0.154, 'm6g.2xlarge': 0.308,
    'm7g.large': 0.0816, 'm7g.xlarge': 0.1632, 'm7g.2xlarge': 0.3264,
    'm8g.large': 0.08976, 'm8g.xlarge': 0.17952, 'm8g.2xlarge': 0.35904,
    'c5.large': 0.085, 'c5.xlarge': 0.17, 'c5.2xlarge': 0.34,
    'c6i.large': 0.085, 'c6i.xlarge': 0.17, 'c6i.2xlarge': 0.34,
    'c7i.large': 0.08925, 'c7i.xlarge': 0.1785, 'c7i.2xlarge': 0.357,
    'c7a.large': 0.10264, 'c7a.xlarge': 0.20528, 'c7a.2xlarge': 0.41056,
    'c6g.large': 0.068, 'c6g.xlarge': 0.136, 'c6g.2xlarge': 0.272,
    'c7g.large': 0.0725, 'c7g.xlarge': 0.145, 'c7g.2xlarge': 0.29,
    'c8g.large': 0.07976, 'c8g.xlarge': 0.15952, 'c8g.2xlarge': 0.31904,
    'r6i.large': 0.126, 'r6i.xlarge': 0.252, 'r6i.2xlarge': 0.504,
    'r7i.large': 0.1323, 'r7i.xlarge': 0.2646, 'r7i.2xlarge': 0.5292,
    'r6g.large': 0.1008, 'r6g.xlarge': 0.2016, 'r6g.2xlarge': 0.4032,
    'r7g.large': 0.1071, 'r7g.xlarge': 0.2142, 'r7g.2xlarge': 0.4284,
  },
  'us-east-2': {
    't3.nano': 0.0052, 't3.micro': 0.0104, 't3.small': 0.0208, 't3.medium': 0.0416, 't3.large': 0.0832, 't3.xlarge': 0.1664, 't3.2xlarge': 0.3328,
    't3a.nano': 0.0047, 't3a.micro': 0.0094, 't3a.small': 0.0188, 't3a.medium': 0.0376, 't3a.large': 0.0752, 't3a.xlarge': 0.1504, 't3a.2xlarge': 0.3008,
    't4g.nano': 0.0042, 't4g.micro': 0.0084, 't4g.small': 0.0168, 't4g.medium': 0.0336, 't4g.large': 0.0672, 't4g.xlarge': 0.1344, 't4g.2xlarge': 0.2688,
    'm6i.large': 0.096,
    'm6g.xlarge': 0.154,
    'c5.large': 0.085, 'c5.xlarge': 0.17, 'c5.2xlarge': 0.34,
  },
  'us-west-2': {
    't3.nano': 0.0052, 't3.micro': 0.0104, 't3.small': 0.0208, 't3.medium': 0.0416, 't3.large': 0.0832, 't3.xlarge': 0.1664, 't3.2xlarge': 0.3328,
    't3a.nano': 0.0047, 't3a.micro': 0.0094, 't3a.small': 0.0188, 't3a.medium': 0.0376, 't3a.large': 0.0752, 't3a.xlarge': 0.1504, 't3a.2xlarge': 0.3008,
    't4g.nano': 0.0042, 't4g.micro': 0.0084, 't4g.small': 0.0168, 't4g.medium': 0.0336, 't4g.large': 0.0672, 't4g.xlarge': 0.1344, 't4g.2xlarge': 0.2688,
    'm6g.xlarge': 0.154,
    'c5.large': 0.085, 'c5.xlarge': 0.17, 'c5.2xlarge': 0.34,
  },
  'ca-central-1': {
    't3.nano': 0.0058, 't3.micro': 0.0116, 't3.small': 0.0232, 't3.medium': 0.0464, 't3.large': 0.0928, 't3.xlarge': 0.1856, 't3.2xlarge': 0.3712,
    't3a.nano': 0.0052, 't3a.micro': 0.0104, 't3a.small': 0.0209, 't3a.medium': 0.0418, 't3a.large': 0.0835, 't3a.xlarge': 0.167, 't3a.2xlarge': 0.3341,
    't4g.nano': 0.0046, 't4g.micro': 0.0092, 't4g.small': 0.0184, 't4g.medium': 0.0368, 't4g.large': 0.0736, 't4g.xlarge': 0.1472, 't4g.2xlarge': 0.2944,
    'm6i.large': 0.107,
    'm6g.xlarge': 0.1712,
    'c5.large': 0.093, 'c5.xlarge': 0.186, 'c5.2xlarge': 0.372,
  },
  'eu-west-1': {
    't3.nano': 0.0057, 't3.micro': 0.0114, 't3.small': 0.0228, 't3.medium': 0.0456, 't3.large': 0.0912, 't3.xlarge': 0.1824, 't3.2xlarge': 0.3648,
    't3a.nano': 0.0051, 't3a.micro': 0.0102, 't3a.small': 0.0204, 't3a.medium': 0.0408, 't3a.large': 0.0816, 't3a.xlarge': 0.1632, 't3a.2xlarge': 0.3264,
    't4g.nano': 0.0046, 't4g.micro': 0.0092, 't4g.small': 0.0184, 't4g.medium': 0.0368, 't4g.large': 0.0736, 't4g.xlarge': 0.1472, 't4g.2xlarge': 0.2944,
    'm6i.large': 0.107,
    'm6g.xlarge': 0.172,
    'c5.large': 0.096, 'c5.xlarge': 0.192, 'c5.2xlarge': 0.384,
  },
  'eu-west-2': {
    't3.nano': 0.0059, 't3.micro': 0.0118, 't3.small': 0.0236, 't3.medium': 0.0472, 't3.large': 0.0944, 't3.xlarge': 0.1888, 't3.2xlarge': 0.3776,
    't3a.nano': 0.0053, 't3a.micro': 0.0106, 't3a.small': 0.0212, 't3a.medium': 0.0425, 't3a.large': 0.085, 't3a.xlarge': 0.1699, 't3a.2xlarge': 0.3398,
    't4g.nano': 0.0047, 't4g.micro': 0.0094, 't4g.small': 0.0188, 't4g.medium': 0.0376, 't4g.large': 0.0752, 't4g.xlarge': 0.1504, 't4g.2xlarge': 0.3008,
    'm6i.large': 0.111,
    'm6g.xlarge': 0.1776,
    'c5.large': 0.101, 'c5.xlarge': 0.202, 'c5.2xlarge': 0.404,
  },
  'eu-central-1': {
    't3.nano': 0.006, 't3.micro': 0.012, 't3.small': 0.024, 't3.medium': 0.048, 't3.large': 0.096, 't3.xlarge': 0.192, 't3.2xlarge': 0.384,
    't3a.nano': 0.0054, 't3a.micro': 0.0108, 't3a.small': 0.0216, 't3a.medium': 0.0432, 't3a.large': 0.0864, 't3a.xlarge': 0.1728, 't3a.2xlarge': 0.3456,
    't4g.nano': 0.0048, 't4g.micro': 0.0096, 't4g.small': 0.0192, 't4g.medium': 0.0384, 't4g.large': 0.0768, 't4g.xlarge': 0.1536, 't4g.2xlarge': 0.3072,
    'm6i.large': 0.115,
    'm6g.xlarge': 0.184,
    'c5.large': 0.097, 'c5.xlarge': 0.194, 'c5.2xlarge': 0.388,
  },
  'eu-north-1': {
    't3.nano': 0.0054, 't3.micro': 0.0108, 't3.small': 0.0216, 't3.medium': 0.0432, 't3.large': 0.0864, 't3.xlarge': 0.1728, 't3.2xlarge': 0.3456,
    't4g.nano': 0.0043, 't4g.micro': 0.0086, 't4g.small': 0.0172, 't4g.medium': 0.0344, 't4g.large': 0.0688, 't4g.xlarge': 0.1376, 't4g.2xlarge': 0.2752,
    'm6i.large': 0.102,
    'm6g.xlarge': 0.164,
    'c5.large': 0.091, 'c5.xlarge': 0.182, 'c5.2xlarge': 0.364,
  },
  'ap-southeast-1': {
    't3.nano': 0.0066, 't3.micro': 0.0132, 't3.small': 0.0264, 't3.medium': 0.0528, 't3.large': 0.1056, 't3.xlarge': 0.2112, 't3.2xlarge': 0.4224,
    't3a.nano': 0.0059, 't3a.micro': 0.0118, 't3a.small': 0.0236, 't3a.medium': 0.0472, 't3a.large': 0.0944, 't3a.xlarge': 0.1888, 't3a.2xlarge': 0.3776,
    't4g.nano': 0.0053, 't4g.micro': 0.0106, 't4g.small': 0.0212, 't4g.medium': 0.0424, 't4g.large': 0.0848, 't4g.xlarge': 0.1696, 't4g.2xlarge': 0.3392,
    'm6i.large': 0.12,
    'c5.large': 0.098, 'c5.xlarge': 0.196, 'c5.2xlarge': 0.392,
  },
  'ap-southeast-2': {
    't3.nano': 0.0066, 't3.micro': 0.0132, 't3.small': 0.0264, 't3.medium': 0.0528, 't3.large': 0.1056, 't3.xlarge': 0.2112, 't3.2xlarge': 0.4224,
    't3a.nano': 0.0059, 't3a.micro': 0.0119, 't3a.small': 0.0238, 't3a.medium': 0.0475, 't3a.large': 0.095, 't3a.xlarge': 0.1901, 't3a.2xlarge': 0.3802,
    't4g.nano': 0.0053, 't4g.micro': 0.0106, 't4g.small': 0.0212, 't4g.medium': 0.0424, 't4g.large': 0.0848, 't4g.xlarge': 0.1696, 't4g.2xlarge': 0.3392,
    'm6i.large': 0.12,
    'c5.large': 0.111, 'c5.xlarge': 0.222, 'c5.2xlarge': 0.444,
  },
  'ap-northeast-1': {
    't3.nano': 0.0068, 't3.micro': 0.0136, 't3.small': 0.0272, 't3.medium': 0.0544, 't3.large': 0.1088, 't3.xlarge': 0.2176, 't3.2xlarge': 0.4352,
    't3a.nano': 0.0061, 't3a.micro': 0.0122, 't3a.small': 0.0245, 't3a.medium': 0.049, 't3a.large': 0.0979, 't3a.xlarge': 0.1958, 't3a.2xlarge': 0.3917,
    't4g.nano': 0.0054, 't4g.micro': 0.0108, 't4g.small': 0.0216, 't4g.medium': 0.0432, 't4g.large': 0.0864, 't4g.xlarge': 0.1728, 't4g.2xlarge': 0.3456,
    'm6i.large': 0.124,
    'c5.large': 0.107, 'c5.xlarge': 0.214, 'c5.2xlarge': 0.428,
  },
};
