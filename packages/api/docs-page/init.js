// The generated document, rendered by Swagger UI (served from the swagger-ui-dist package).
window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
