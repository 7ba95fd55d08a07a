/** Names the shop a rerouted request was meant for: Node's fetch cannot set Host. */
export const SHOP_HEADER = "x-fake-shop-domain";
