/**
 * Sales regions from ISO alpha-2 codes. No maintained npm list maps countries to B2B sales regions (continent lists
 * put Mexico in North America and the Middle East in Asia), so the three non-EMEA regions are listed here and every
 * other recognised country is EMEA.
 */

export type SalesRegion = 'NA' | 'LATAM' | 'APAC' | 'EMEA' | 'unknown';

const NA = new Set(['US', 'CA', 'PM', 'BM', 'GL', 'UM']);
const LATAM = new Set(
    (
        'MX GT BZ SV HN NI CR PA CU DO HT JM PR BS BB TT AG DM GD KN LC VC AI AW BQ CW SX MF BL KY TC VG VI MS GP MQ ' +
        'CO VE EC PE BO BR PY UY AR CL GY SR GF FK GS'
    ).split(' '),
);
const APAC = new Set(
    (
        'AU NZ JP KR KP CN HK MO TW MN IN PK BD LK NP BT MV AF SG MY ID TH VN PH KH LA MM BN TL PG FJ SB VU NC PF WS ' +
        'TO KI TV NR FM MH PW GU MP AS CK NU TK WF PN NF CX CC HM IO'
    ).split(' '),
);

export function regionOf(countryCode: string | undefined): SalesRegion {
    if (countryCode === undefined) return 'unknown';
    if (NA.has(countryCode)) return 'NA';
    if (LATAM.has(countryCode)) return 'LATAM';
    if (APAC.has(countryCode)) return 'APAC';
    return countryCode === 'AQ' ? 'unknown' : 'EMEA';
}
