// What the page gets from scripts that are not modules: uPlot (vendor/uplot/uPlot.iife.min.js).
declare const uPlot: new (options: object, data: unknown[], target: HTMLElement) => object;
