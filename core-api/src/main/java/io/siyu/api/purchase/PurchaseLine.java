package io.siyu.api.purchase;

/**
 * One line of an order, for category rules.
 *
 * @param sku       the product
 * @param category  the product category the brand's earning rules name, e.g. {@code skincare}
 * @param amountFen what this line cost, in fen (the lines of an order add up to its amount)
 */
public record PurchaseLine(String sku, String category, long amountFen) {
}
