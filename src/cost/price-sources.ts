/**
 * Where every figure of the price table comes from. Each figure names one of
 * these, so `gm cost` can print its source next to it and a reader can check
 * it. Prices are USD, without tax, Linux, shared tenancy.
 */
export interface PriceSource {
  /** What the source is, in a few words. */
  readonly title: string;
  /** Where to read it. */
  readonly url: string;
  /** The date the source gives for its figures (or when it was written). */
  readonly asOf: string;
}

/** When the figures were copied into this table. */
export const PRICES_TAKEN_ON = '2026-11-30';

export const PRICE_SOURCES = {
  /** Generated from the AWS Price List API (AmazonEC2, on-demand, Linux, shared tenancy, no pre-installed software). */
  priceListApi: {
    title: 'AWS Price List API, EC2 on-demand Linux, as generated into Karpenter (pkg/providers/pricing/zz_generated.pricing_aws.go, us-east-1)',
    url: 'https://github.com/aws/karpenter-provider-aws/blob/main/pkg/providers/pricing/zz_generated.pricing_aws.go',
    asOf: '2026-07-20',
  },
  /**
   * The SkyPilot catalog is built from the same Price List API for every
   * region; its us-east-1 figures equal `priceListApi` for every type both
   * list, which is why it is trusted for the other regions. Figures were
   * read from the stored copy at commit 00148f2a (the file itself carries no
   * date); the Price column is the on-demand price, one row per zone.
   */
  skypilotCatalog: {
    title: 'SkyPilot AWS catalog (catalogs/v8/aws/vms.csv at commit 00148f2a, built from the AWS Price List API; Price and SpotPrice columns)',
    url: 'https://github.com/skypilot-org/skypilot-catalog/blob/00148f2af3672e2229b4f7bf8157d5a3f36e3c35/catalogs/v8/aws/vms.csv',
    asOf: '2026',
  },
  ebsFrankfurt: {
    title: 'gp3 storage price in eu-central-1 (Frankfurt), worked example on hendric-jabs.de',
    url: 'https://hendric-jabs.de/2023/11/02/gp3-in-2-minuten/',
    asOf: '2023-11-02',
  },
  /**
   * Regional gp3 tables published in open-source AWS cost tools: three agree
   * on us-west-2 (and on eu-west-1, which `ebsOfferEuWest1` confirms); us-east-2, eu-north-1 and ap-southeast-2 come
   * from one whose EC2 figures equal `skypilotCatalog`. The weakest source
   * here: check these against the EBS pricing page first when refreshing.
   */
  gp3CodeTables: {
    title: 'Regional gp3 prices from published open-source AWS cost tables (to be checked against the EBS pricing page)',
    url: 'https://aws.amazon.com/ebs/pricing/',
    asOf: '2026',
  },
  /**
   * The EFS pricing page's own table of effective prices for file systems with
   * lifecycle management, which assumes 80 % of the data in the Infrequent
   * Access class (One Zone-IA for One Zone). Worlds move there after 30 days
   * unplayed, so this is the price of a world at rest; the page lists only a
   * few regions (us-east-1, us-west-2, ca-central-1, eu-west-1 of ours).
   */
  efsEffectivePrices: {
    title: 'Amazon EFS pricing page: effective storage prices for file systems using lifecycle management (80 % in Infrequent Access), One Zone and Standard, select regions',
    url: 'https://aws.amazon.com/efs/pricing/',
    asOf: '2026',
  },
  cloudWatchFreeTier: {
    title: 'CloudWatch always-free tier: 10 standard-resolution alarm metrics, 5 GB of logs (ingestion, archive storage and Logs Insights scans) a month',
    url: 'https://aws.amazon.com/cloudwatch/pricing/',
    asOf: '2026',
  },
  dataTransferFreeTier: {
    title: 'AWS always-free data transfer out to the internet, 100 GB a month summed over services and regions (schoolofweb.pages.dev free-tier table)',
    url: 'https://schoolofweb.pages.dev/en/books/aws/cost-management/',
    asOf: '2026',
  },
  budgets: {
    title: 'AWS Billing and Cost Management user guide: the first two active budgets are free, each further budget $0.02 a day',
    url: 'https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/budgets-managing-costs.html',
    asOf: '2026',
  },
  cloudWatchLogsTokyo: {
    title: 'CloudWatch Logs pricing in ap-northeast-1 (awsi.click summary of the pricing page)',
    url: 'https://awsi.click/en/articles/cloudwatch-logs-cost-structure-surprise/',
    asOf: '2026',
  },
  dataTransferSydney: {
    title: 'EC2 data transfer out to the internet, first tier, ap-southeast-2 (chengqing.dev table from the pricing page)',
    url: 'https://chengqing.dev/en/2020/01/23/aws-data-transfer/',
    asOf: '2020-01-23',
  },
  /**
   * AWS's own Price List offer files are the source behind the pricing pages
   * (whose regional tables are drawn by script). A versioned offer URL never
   * changes, so it names exactly the figures used; the SKU and usage type
   * locate each one in the file.
   */
  cloudWatchOfferUsEast1: {
    title:
      'AWS Price List API, AmazonCloudWatch offer for us-east-1, version 20260831092148: standard-resolution alarm metric (SKU EVETVUGEN3MUTMXM), log ingestion (S8QGXX5R2BKKMDSJ), log storage (6K9ADYQAHV5KX9KZ)',
    url: 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonCloudWatch/20260831092148/us-east-1/index.json',
    asOf: '2026-08-31',
  },
  dataTransferOfferUsEast1: {
    title:
      'AWS Price List API, AWSDataTransfer offer for us-east-1, version 20260831121448: internet egress, first paid tier (SKU HQEH3ZWJVT46JHRG)',
    url: 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSDataTransfer/20260831121448/us-east-1/index.json',
    asOf: '2026-08-31',
  },
  ebsOfferUsEast1: {
    title:
      'AWS Price List API, AmazonEC2 offer for us-east-1, version 20260831181331: EBS:VolumeUsage.gp3, $0.08 per GB-month of gp3 storage (SKU JG3KUJMBRGHV3N8G)',
    url: 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/20260831181331/us-east-1/index.json',
    asOf: '2026-08-31',
  },
  cloudWatchOfferEuWest1: {
    title:
      'AWS Price List API, AmazonCloudWatch offer for eu-west-1, version 20260922021715: EU-CW:AlarmMonitorUsage (SKU GDMKAEDCSYJAKBZQ), EU-DataProcessing-Bytes (KJBTQPDHW2H92B8Y), EU-TimedStorage-ByteHrs (M93YPPU987S2T6U9)',
    url: 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonCloudWatch/20260922021715/eu-west-1/index.json',
    asOf: '2026-09-22',
  },
  dataTransferOfferEuWest1: {
    title:
      'AWS Price List API, AWSDataTransfer offer for eu-west-1, version 20260916132208: EU-DataTransfer-Out-Bytes, first 10 TB a month beyond the global free tier (SKU FSEU4E6BRE95JTX8)',
    url: 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSDataTransfer/20260916132208/eu-west-1/index.json',
    asOf: '2026-09-16',
  },
  ebsOfferEuWest1: {
    title:
      'AWS Price List API, AmazonEC2 offer for eu-west-1, version 20260910195514: EU-EBS:VolumeUsage.gp3, $0.088 per GB-month of gp3 storage (SKU TXACT7E3PV6ZX2NM)',
    url: 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/20260910195514/eu-west-1/index.csv',
    asOf: '2026-09-10',
  },
  /**
   * The AWS Backup pricing page's own data (meteredUnitMaps/backup), as
   * recorded by a public price-change watcher. EFS is the row without a
   * resource name ("Backup Storage Warm per GB-month"); the other resource
   * types have rows of their own (S3, DynamoDB, VMware, SAP HANA…), and the
   * EFS logically air-gapped vault row is 1.15 × it.
   */
  backupPageData: {
    title:
      'AWS Backup pricing page data (b0.p.awsstatic.com meteredUnitMaps/backup), "Backup Storage Warm per GB-month" (EFS), US East (N. Virginia) and EU (Ireland), as recorded by aws-price-watcher',
    url: 'https://github.com/QuinnyPig/aws-price-watcher/blob/f7a24e2c69821d2a6ff207d1c3a61b12649ef934/processed/backup.json',
    asOf: '2025-06-17',
  },
  publicIpv4: {
    title: 'AWS public IPv4 address charge, $0.005 per IP per hour in every commercial region since 2024-02-01',
    url: 'https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/',
    asOf: '2024-02-01',
  },
  route53: {
    title: 'Amazon Route 53 pricing: hosted zone (first 25) and standard queries (first billion a month)',
    url: 'https://ns1.com/resources/aws-dns',
    asOf: '2026',
  },
} as const satisfies Record<string, PriceSource>;

export type PriceSourceId = keyof typeof PRICE_SOURCES;
