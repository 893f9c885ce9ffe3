/**
 * What the test harnesses set for the functions they run (DynamoDB Local tests, the e2e and browser
 * runtimes, the admin CLI they spawn): scrypt at N = 2^12 instead of 2^17, about 20 ms a hash here
 * instead of 650. Hundreds of fixture logins would otherwise spend minutes hashing. The hashing itself
 * is tested at its deployed cost (tests/unit/passwords.test.ts), and so is the login's speed (npm run bench).
 */
export const TEST_PASSWORD_COST = { PASSWORD_HASH_LOG2_N: '12' } as const;
