package org.panolm.verification.sas;

/**
 * The three four-digit numbers (1000–9191) of the decimal SAS.
 *
 * @param first the first number
 * @param second the second number
 * @param third the third number
 */
public record DecimalCode(int first, int second, int third) {
    @Override
    public String toString() {
        return first + "-" + second + "-" + third;
    }
}
