import { Component, type ReactNode } from "react";
import { ErrorState } from "./States";

/** Keeps one failing page (or a chunk that failed to load) from blanking the whole tab. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override render() {
    if (this.state.error) return <ErrorState error={this.state.error} title="This page could not be shown" onRetry={() => location.reload()} />;
    return this.props.children;
  }
}
