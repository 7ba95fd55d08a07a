// A stand-in for App Bridge (https://cdn.shopify.com/shopifycloud/app-bridge.js),
// served by the demo's admin to the embedded app, which no machine here can load
// from Shopify's CDN. It does what the app relies on: session tokens on same-origin
// fetches, `shopify.idToken()`, toasts, the title bar and nav menu elements, and the
// bounce page that reloads a document with a fresh `id_token`.
export const APP_BRIDGE_STANDIN = String.raw`
(function () {
  var params = new URLSearchParams(location.search);
  var shop = params.get("shop") || sessionStorage.getItem("patron-demo-shop");
  if (shop) sessionStorage.setItem("patron-demo-shop", shop);
  var realFetch = window.fetch.bind(window);
  var cached = null;
  function idToken() {
    if (cached && cached.expires > Date.now()) return Promise.resolve(cached.token);
    return realFetch("/__demo/session-token?shop=" + encodeURIComponent(shop || ""))
      .then(function (r) { return r.json(); })
      .then(function (body) { cached = { token: body.token, expires: Date.now() + 30000 }; return body.token; });
  }
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, location.href);
    if (url.origin !== location.origin || url.pathname.indexOf("/__demo/") === 0) return realFetch(input, init);
    return idToken().then(function (token) {
      var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
      return realFetch(input, Object.assign({}, init, { headers: headers }));
    });
  };
  function toastHost() {
    var host = document.getElementById("patron-demo-toasts");
    if (!host) {
      host = document.createElement("div");
      host.id = "patron-demo-toasts";
      host.setAttribute("role", "status");
      host.setAttribute("aria-live", "polite");
      host.style.cssText = "position:fixed;bottom:16px;left:50%;transform:translateX(-50%);z-index:1000;display:flex;flex-direction:column;gap:8px";
      document.body.appendChild(host);
    }
    return host;
  }
  window.shopify = {
    config: { apiKey: (document.currentScript && document.currentScript.dataset.apiKey) || "", shop: shop, host: params.get("host"), locale: params.get("locale") || "en" },
    idToken: idToken,
    toast: {
      show: function (message, options) {
        var el = document.createElement("div");
        el.className = "patron-demo-toast";
        el.textContent = message;
        el.style.cssText = "background:" + (options && options.isError ? "#8e1f0b" : "#303030") + ";color:#fff;padding:10px 16px;border-radius:8px;font:14px system-ui";
        toastHost().appendChild(el);
        setTimeout(function () { el.remove(); }, (options && options.duration) || 5000);
        return "toast";
      },
      hide: function () {},
    },
    loading: function () {},
    modal: { show: function () {}, hide: function () {} },
    saveBar: { show: function () {}, hide: function () {}, toggle: function () {} },
    environment: { embedded: true, mobile: false, pos: false },
  };
  if (!customElements.get("ui-title-bar")) {
    customElements.define("ui-title-bar", class extends HTMLElement {
      connectedCallback() { this.style.display = "none"; if (this.getAttribute("title")) document.title = this.getAttribute("title"); }
    });
  }
  if (!customElements.get("ui-nav-menu")) {
    customElements.define("ui-nav-menu", class extends HTMLElement {
      connectedCallback() {
        this.setAttribute("role", "navigation");
        this.setAttribute("aria-label", "App");
        this.style.cssText = "display:flex;gap:16px;padding:10px 20px;background:#f1f1f1;border-bottom:1px solid #ddd;font:14px system-ui";
      }
    });
  }
  if (location.pathname === "/auth/session-token" && params.get("shopify-reload")) {
    idToken().then(function (token) {
      var target = new URL(params.get("shopify-reload"), location.href);
      target.searchParams.set("id_token", token);
      location.replace(target.pathname + target.search);
    });
  }
})();
`;
